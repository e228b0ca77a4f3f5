using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.BackendClient;

namespace WsOrleans.Edge.Upgrade;

/// <summary>
/// The HTTP/1.1 request a backend is sent for a client's WebSocket handshake: the client's path and query under the
/// backend's base path, every header the client sent (its Host included, so subprotocols, extensions, cookies and
/// custom headers arrive as sent) but the hop-by-hop ones and the edge's affinity cookie, the
/// <see cref="ForwardedHeaders"/>, and the upgrade itself. An HTTP/2 client's extended CONNECT (RFC 8441) becomes an
/// HTTP/1.1 upgrade with a key the edge makes, since the client sent none.
/// </summary>
internal static class UpgradeRequest
{
    /// <summary>
    /// Writes the request head into <paramref name="output"/>. Returns the <c>Sec-WebSocket-Key</c> the edge made for an
    /// HTTP/2 client, whose answer the edge must check itself; null when the client's own key was forwarded.
    /// </summary>
    public static string? Write(HttpContext context, BackendAddress backend, string? affinityCookie, IBufferWriter<byte> output)
    {
        var request = context.Request;
        Append(output, "GET ");
        Append(output, backend.BasePath);
        Append(output, request.Path.HasValue ? request.Path.ToUriComponent() : "/");
        Append(output, request.QueryString.Value ?? "");
        Append(output, " HTTP/1.1\r\n");

        var madeKey = HttpProtocol.IsHttp2(request.Protocol) && !HandshakeCheck.IsValidKey(request.Headers.SecWebSocketKey) ? NewKey() : null;
        foreach (var (name, values) in request.Headers)
        {
            // Cookie goes once, below, without the edge's own cookie.
            if (name.StartsWith(':') || HopByHopHeaders.Names.Contains(name) || ForwardedHeaders.IsClientSupplied(name)
                || name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase)
                || (madeKey is not null && name.Equals(HeaderNames.SecWebSocketKey, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            foreach (var value in values)
            {
                Header(output, name, value ?? "");
            }
        }

        if (!request.Headers.ContainsKey(HeaderNames.Host))
        {
            Header(output, HeaderNames.Host, backend.Authority);
        }

        // Several Cookie headers (HTTP/2 splits them) go as one, the edge's own cookie left out.
        if (request.Headers.Cookie.Count > 0
            && (affinityCookie is null ? string.Join("; ", request.Headers.Cookie.AsEnumerable()) : CookieHeader.Without(request.Headers.Cookie, affinityCookie)) is { Length: > 0 } cookies)
        {
            Header(output, HeaderNames.Cookie, cookies);
        }

        if (madeKey is not null)
        {
            Header(output, HeaderNames.SecWebSocketKey, madeKey);
        }

        Header(output, HeaderNames.Connection, "Upgrade");
        Header(output, HeaderNames.Upgrade, "websocket");
        var (client, proto, host) = ForwardedHeaders.Of(context);
        if (client is not null)
        {
            Header(output, ForwardedHeaders.For, client);
        }

        Header(output, ForwardedHeaders.Proto, proto);
        if (host is not null)
        {
            Header(output, ForwardedHeaders.Host, host);
        }

        Append(output, "\r\n");
        return madeKey;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> a backend must answer to <paramref name="key"/> (RFC 6455 4.2.2).</summary>
    public static string Accept(string key)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), hash);
        return Convert.ToBase64String(hash);
    }

    private static string NewKey()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        return Convert.ToBase64String(key);
    }

    private static void Header(IBufferWriter<byte> output, string name, string value)
    {
        Append(output, name);
        Append(output, ": ");
        Append(output, value);
        Append(output, "\r\n");
    }

    // Header values are Latin-1 on the wire, as SocketsHttpHandler sends them.
    private static void Append(IBufferWriter<byte> output, string text) =>
        output.Advance(Encoding.Latin1.GetBytes(text, output.GetSpan(text.Length)));
}
