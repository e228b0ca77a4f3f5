using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace WsOrleans.Edge.BackendClient;

/// <summary>A backend's HTTP/1.1 response head, and the bytes that came after it in the same reads.</summary>
internal sealed class ResponseHead
{
    /// <summary>The largest response head (status line and headers) a backend may send.</summary>
    public const int MaxSize = 64 * 1024;

    private ResponseHead(HttpStatusCode status, string reason, List<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> after)
    {
        Status = status;
        Reason = reason;
        Headers = headers;
        After = after;
    }

    public HttpStatusCode Status { get; }

    public string Reason { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Bytes received after the head: the start of the body, or of the upgraded protocol.</summary>
    public ReadOnlyMemory<byte> After { get; }

    public string? this[string name] => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads until the blank line that ends the head; throws <see cref="HttpRequestException"/> on a malformed or oversized one.</summary>
    public static async Task<ResponseHead> ReadAsync(Func<Memory<byte>, ValueTask<int>> receive, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var filled = 0;
        try
        {
            while (true)
            {
                var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    // Usually nothing follows a 101 in the same read; when something does, it is kept.
                    var after = filled > end + 4 ? buffer.AsSpan(end + 4, filled - end - 4).ToArray() : [];
                    return Parse(buffer.AsSpan(0, end), after);
                }

                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxSize)
                    {
                        throw new HttpRequestException($"The backend's response head is larger than {MaxSize / 1024} KB.");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var read = await receive(buffer.AsMemory(filled));
                if (read == 0)
                {
                    throw new HttpRequestException("The backend closed the connection before it answered the handshake.");
                }

                filled += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ResponseHead Parse(ReadOnlySpan<byte> head, ReadOnlyMemory<byte> after)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!TryParseStatus(statusLine, out var code, out var reason))
        {
            throw new HttpRequestException($"The backend answered with a malformed status line: '{Encoding.Latin1.GetString(statusLine)}'.");
        }

        var headers = new List<KeyValuePair<string, string>>(8);
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new HttpRequestException($"The backend answered with a malformed header line: '{Encoding.Latin1.GetString(line)}'.");
            }

            headers.Add(new(Encoding.Latin1.GetString(line[..colon].Trim((byte)' ')), Encoding.Latin1.GetString(line[(colon + 1)..].Trim((byte)' '))));
        }

        return new ResponseHead((HttpStatusCode)code, reason, headers, after);
    }

    // "HTTP/1.1 101 Switching Protocols": the version, a three-digit code, an optional reason.
    private static bool TryParseStatus(ReadOnlySpan<byte> line, out int code, out string reason)
    {
        code = 0;
        reason = "";
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !int.TryParse(line.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out code) || code < 100
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        reason = line.Length > 13 ? Encoding.Latin1.GetString(line[13..]) : "";
        return true;
    }
}
