using System.Net.Sockets;
using System.Text;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Sends hand-written HTTP/1.x requests, for handshakes no well-behaved client would send.</summary>
internal static class RawHttp
{
    public sealed record class Response(int Status, string Head, string Body);

    /// <summary>Sends <paramref name="request"/> (lines joined with CRLF, ending in an empty line) and reads the answer until the server closes or the body ends.</summary>
    public static async Task<Response> SendAsync(Uri server, string request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            received.Write(buffer, 0, read);
            var text = Encoding.UTF8.GetString(received.ToArray());
            if (read == 0 || IsComplete(text))
            {
                var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var head = split < 0 ? text : text[..split];
                var status = int.Parse(head.Split(' ', 3)[1]);
                return new Response(status, head, split < 0 ? "" : text[(split + 4)..]);
            }
        }
    }

    /// <summary>A request line and headers for a handshake, with the given extra or replaced headers.</summary>
    public static string Handshake(string path, params string[] headers)
    {
        var lines = new List<string> { $"GET {path} HTTP/1.1", "Host: 127.0.0.1" };
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Upgrade"] = "websocket",
            ["Connection"] = "Upgrade",
            ["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==",
            ["Sec-WebSocket-Version"] = "13",
        };
        foreach (var header in headers)
        {
            var name = header.Split(':', 2)[0];
            defaults.Remove(name);
            lines.Add(header);
        }

        lines.AddRange(defaults.Select(h => $"{h.Key}: {h.Value}"));
        return string.Join("\r\n", lines.Where(l => !l.EndsWith(':'))) + "\r\n\r\n";
    }

    // A 101 has no body; other answers here are short and either chunked or sized.
    private static bool IsComplete(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var head = text[..split];
        if (head.Contains(" 101 ", StringComparison.Ordinal) || head.Contains("Content-Length: 0", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return head.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
            : head.Contains("Content-Length", StringComparison.OrdinalIgnoreCase) && text.Length > split + 4;
    }
}
