using System.Globalization;
using System.Net;
using System.Text;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// Reads the body of a backend's answer that refused a handshake (an error page, a redirect).
/// Such answers are small: they are read whole, up to <see cref="MaxSize"/>, and the connection is
/// then closed, never reused.
/// </summary>
internal static class ResponseBody
{
    public const int MaxSize = 64 * 1024;

    public static async Task<byte[]> ReadAsync(ResponseHead head, Func<Memory<byte>, ValueTask<int>> receive, CancellationToken cancellationToken)
    {
        if (head.Status is HttpStatusCode.NoContent or HttpStatusCode.NotModified || (int)head.Status < 200)
        {
            return [];
        }

        var reader = new BufferedReader(head.After, receive, cancellationToken);
        if (head["Transfer-Encoding"] is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadChunkedAsync(reader);
        }

        if (head["Content-Length"] is { } lengthText)
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxSize)
            {
                throw new HttpRequestException($"The backend's refusal has a Content-Length of '{lengthText}'; at most {MaxSize} bytes are relayed.");
            }

            return await reader.ReadExactlyAsync((int)length);
        }

        return await reader.ReadToEndAsync(MaxSize);
    }

    private static async Task<byte[]> ReadChunkedAsync(BufferedReader reader)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync();
            var sizeText = line.Split(';', 2)[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || body.Length + size > MaxSize)
            {
                throw new HttpRequestException($"The backend's refusal has a bad or oversized chunk ('{line}').");
            }

            if (size == 0)
            {
                while ((await reader.ReadLineAsync()).Length > 0)
                {
                    // Trailers are dropped.
                }

                return body.ToArray();
            }

            body.Write(await reader.ReadExactlyAsync(size));
            _ = await reader.ReadLineAsync();
        }
    }

    /// <summary>Reads from what came after the head, then from the socket.</summary>
    private sealed class BufferedReader(ReadOnlyMemory<byte> start, Func<Memory<byte>, ValueTask<int>> receive, CancellationToken cancellationToken)
    {
        private readonly MemoryStream _pending = new(start.ToArray());

        public async Task<byte[]> ReadExactlyAsync(int count)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                var read = await ReadAsync(result.AsMemory(filled));
                if (read == 0)
                {
                    throw new HttpRequestException("The backend closed the connection in the middle of its answer.");
                }

                filled += read;
            }

            return result;
        }

        public async Task<byte[]> ReadToEndAsync(int limit)
        {
            using var body = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await ReadAsync(buffer)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw new HttpRequestException($"The backend's refusal is larger than {limit} bytes.");
                }

                body.Write(buffer, 0, read);
            }

            return body.ToArray();
        }

        public async Task<string> ReadLineAsync()
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (await ReadAsync(one) == 0)
                {
                    throw new HttpRequestException("The backend closed the connection in the middle of its answer.");
                }

                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                if (line.Length > 1024)
                {
                    throw new HttpRequestException("The backend's chunked answer has an overlong line.");
                }

                line.Append((char)one[0]);
            }
        }

        private async ValueTask<int> ReadAsync(Memory<byte> buffer)
        {
            if (_pending.Position < _pending.Length)
            {
                return _pending.Read(buffer.Span);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return await receive(buffer);
        }
    }
}
