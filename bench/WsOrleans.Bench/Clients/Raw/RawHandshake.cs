using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>The HTTP/1.1 upgrade request and the check of its 101 answer (RFC 6455 4.1 and 4.2.2).</summary>
internal sealed class RawHandshake
{
    /// <summary>The most response-header bytes read before giving up on the answer.</summary>
    public const int MaxResponseLength = 4096;

    private const int KeyLength = 24;

    private static ReadOnlySpan<byte> AcceptGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    // Everything up to the key, which is new for every connection.
    private readonly byte[] _requestPrefix;

    public RawHandshake(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        _requestPrefix = Encoding.ASCII.GetBytes(
            $"GET {url.PathAndQuery} HTTP/1.1\r\n" +
            $"Host: {url.Authority}\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Key: ");
    }

    /// <summary>The request's length; the buffer given to <see cref="WriteRequest"/> must hold it.</summary>
    public int RequestLength => _requestPrefix.Length + KeyLength + HeaderEnd.Length;

    /// <summary>Writes the request with a fresh random key and returns the <c>Sec-WebSocket-Accept</c> expected back.</summary>
    public void WriteRequest(Span<byte> destination, Span<byte> expectedAccept)
    {
        _requestPrefix.CopyTo(destination);
        var key = destination.Slice(_requestPrefix.Length, KeyLength);
        Span<byte> nonce = stackalloc byte[16];
        Random.Shared.NextBytes(nonce);
        Base64.EncodeToUtf8(nonce, key, out _, out _);
        HeaderEnd.CopyTo(destination[(_requestPrefix.Length + KeyLength)..]);

        Span<byte> keyAndGuid = stackalloc byte[KeyLength + AcceptGuid.Length];
        key.CopyTo(keyAndGuid);
        AcceptGuid.CopyTo(keyAndGuid[KeyLength..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(keyAndGuid, hash);
        Base64.EncodeToUtf8(hash, expectedAccept, out _, out _);
    }

    /// <summary>The length of the <c>Sec-WebSocket-Accept</c> value.</summary>
    public static int AcceptLength => 28;

    /// <summary>Where the response headers end (the index after the blank line), or -1 while incomplete.</summary>
    public static int FindResponseEnd(ReadOnlySpan<byte> received)
    {
        var index = received.IndexOf(HeaderEnd);
        return index < 0 ? -1 : index + HeaderEnd.Length;
    }

    /// <summary>
    /// Checks the status line and the accept header of a complete response head; throws
    /// <see cref="BenchException"/> with the HTTP status, or <c>badHandshake</c>, when it is not a valid 101.
    /// </summary>
    public static void ValidateResponse(ReadOnlySpan<byte> head, ReadOnlySpan<byte> expectedAccept)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine.Length < 12 || statusLine[8] != (byte)' '
            || !int.TryParse(Encoding.ASCII.GetString(statusLine.Slice(9, 3)), out var status))
        {
            throw new BenchException(ErrorKinds.BadHandshake, $"The answer to the upgrade is not HTTP/1.x: '{Printable(statusLine)}'.");
        }

        if (status != 101)
        {
            throw new BenchException(ErrorKinds.Http(status), $"The server answered '{Printable(statusLine)}' instead of 101 Switching Protocols.");
        }

        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), "Sec-WebSocket-Accept"u8))
            {
                if (line[(colon + 1)..].Trim((byte)' ').SequenceEqual(expectedAccept))
                {
                    return;
                }

                throw new BenchException(ErrorKinds.BadHandshake, $"Sec-WebSocket-Accept is '{Printable(line[(colon + 1)..].Trim((byte)' '))}', expected '{Printable(expectedAccept)}'.");
            }
        }

        throw new BenchException(ErrorKinds.BadHandshake, "The 101 answer has no Sec-WebSocket-Accept header.");
    }

    private static string Printable(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 200)]);
}
