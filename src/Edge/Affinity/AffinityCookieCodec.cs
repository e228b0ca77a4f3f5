using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WsOrleans.Edge.Affinity;

/// <summary>
/// The value of an affinity cookie: <c>BACKEND.EXPIRES.SIGNATURE</c>, the backend's id (base64url), when
/// the cookie stops being honoured (Unix seconds), and an HMAC-SHA256 of the pool's name, the backend
/// and the expiry under the pool's signing key (128 bits, base64url). A client can read which backend it
/// is on, but cannot name another one, extend its cookie, or bring a cookie of another pool.
/// </summary>
internal static class AffinityCookieCodec
{
    // Backend ids are at most 100 characters; anything much longer is not one of ours.
    private const int MaxValueLength = 256;
    private const int SignatureBytes = 16;

    public static string Encode(string pool, string backendId, DateTimeOffset expires, ReadOnlySpan<byte> key)
    {
        var seconds = expires.ToUnixTimeSeconds();
        Span<byte> signature = stackalloc byte[SignatureBytes];
        Sign(pool, backendId, seconds, key, signature);
        return string.Concat(
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(backendId)), ".",
            seconds.ToString(CultureInfo.InvariantCulture), ".",
            Base64Url.EncodeToString(signature));
    }

    /// <summary>
    /// Reads a cookie value of <paramref name="pool"/>; false when it is malformed, signed with another key
    /// or for another pool, or expired at <paramref name="now"/>.
    /// </summary>
    public static bool TryDecode(string? value, string pool, ReadOnlySpan<byte> key, DateTimeOffset now, out string backendId, out DateTimeOffset expires)
    {
        backendId = string.Empty;
        expires = default;
        if (value is null || value.Length > MaxValueLength)
        {
            return false;
        }

        var parts = value.AsSpan();
        var first = parts.IndexOf('.');
        var last = parts.LastIndexOf('.');
        if (first <= 0 || last <= first + 1 || last == parts.Length - 1
            || !long.TryParse(parts[(first + 1)..last], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        Span<byte> id = stackalloc byte[MaxValueLength];
        Span<byte> given = stackalloc byte[SignatureBytes + 2];
        if (Base64Url.DecodeFromChars(parts[..first], id, out _, out var idLength) != System.Buffers.OperationStatus.Done
            || Base64Url.DecodeFromChars(parts[(last + 1)..], given, out _, out var signatureLength) != System.Buffers.OperationStatus.Done
            || signatureLength != SignatureBytes)
        {
            return false;
        }

        string decodedId;
        try
        {
            decodedId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(id[..idLength]);
        }
        catch (ArgumentException)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureBytes];
        Sign(pool, decodedId, seconds, key, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, given[..SignatureBytes]))
        {
            return false;
        }

        expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (expires <= now)
        {
            return false;
        }

        backendId = decodedId;
        return true;
    }

    private static void Sign(string pool, string backendId, long expires, ReadOnlySpan<byte> key, Span<byte> signature)
    {
        // Newlines cannot appear in pool names or backend ids, so the fields cannot run into each other.
        var signed = Encoding.UTF8.GetBytes($"{pool}\n{backendId}\n{expires.ToString(CultureInfo.InvariantCulture)}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signed, mac);
        mac[..SignatureBytes].CopyTo(signature);
    }
}
