using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace WsOrleans.Edge.Upgrade;

/// <summary>
/// Decides whether a request asks for a WebSocket (RFC 6455 over HTTP/1.1, RFC 8441 over HTTP/2) and
/// whether it is a well-formed handshake, before anything is forwarded. A malformed handshake gets a
/// precise 4xx and never reaches a backend.
/// </summary>
internal static class HandshakeCheck
{
    public const string SupportedVersion = "13";

    /// <summary>The answer to a plain request on a pool that takes WebSocket connections only.</summary>
    public static readonly HandshakeProblem NotWebSocket = new(
        StatusCodes.Status426UpgradeRequired,
        "This path takes WebSocket connections only: send a WebSocket handshake (Upgrade: websocket).",
        HeaderNames.Upgrade,
        "websocket");

    private static readonly HandshakeProblem WrongVersion = new(
        StatusCodes.Status426UpgradeRequired,
        "Unsupported Sec-WebSocket-Version: this edge speaks version 13.",
        HeaderNames.SecWebSocketVersion,
        SupportedVersion);

    private static readonly HandshakeProblem MissingVersion = new(
        StatusCodes.Status400BadRequest,
        "Sec-WebSocket-Version is missing: send Sec-WebSocket-Version: 13.",
        HeaderNames.SecWebSocketVersion,
        SupportedVersion);

    /// <summary>
    /// Whether the request asks for a WebSocket: an HTTP/1.1 <c>Upgrade: websocket</c> or an HTTP/2 extended
    /// CONNECT. Anything else is a plain request, which a pool forwards or refuses as it is configured to.
    /// </summary>
    public static bool IsHandshake(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } || HasToken(context.Request.Headers.Upgrade, "websocket");

    /// <summary>Null when the request is a well-formed WebSocket handshake.</summary>
    public static HandshakeProblem? Check(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase)
                ? CheckVersion(request)
                : new HandshakeProblem(StatusCodes.Status400BadRequest, $"Extended CONNECT for protocol '{connect.Protocol}' is not supported; use 'websocket'.");
        }

        if (!HttpProtocol.IsHttp11(request.Protocol) && !HttpProtocol.IsHttp10(request.Protocol))
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, $"A WebSocket over {request.Protocol} is an extended CONNECT with :protocol websocket (RFC 8441), not a {request.Method}.");
        }

        if (!HasToken(request.Headers.Upgrade, "websocket"))
        {
            return NotWebSocket;
        }

        if (HttpProtocol.IsHttp10(request.Protocol))
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, $"A WebSocket handshake needs HTTP/1.1 or later, not {request.Protocol}.");
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, $"A WebSocket handshake must be a GET, not {request.Method}.");
        }

        if (!HasToken(request.Headers.Connection, "upgrade"))
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, "A WebSocket handshake needs 'Connection: Upgrade'.");
        }

        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, "A WebSocket handshake must not have a body.");
        }

        if (!IsValidKey(request.Headers.SecWebSocketKey))
        {
            return new HandshakeProblem(StatusCodes.Status400BadRequest, "Sec-WebSocket-Key must be one base64-encoded 16-byte value.");
        }

        return CheckVersion(request);
    }

    private static HandshakeProblem? CheckVersion(HttpRequest request) => request.Headers.SecWebSocketVersion switch
    {
        { Count: 0 } => MissingVersion,
        { Count: 1 } version when version[0] == SupportedVersion => null,
        _ => WrongVersion,
    };

    /// <summary>Whether a <c>Sec-WebSocket-Key</c> is one base64-encoded 16-byte value (RFC 6455 4.1).</summary>
    public static bool IsValidKey(StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: 24 } key)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    /// <summary>Whether a comma-separated header holds <paramref name="token"/> (ignoring case).</summary>
    private static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var part = comma < 0 ? rest : rest[..comma];
                if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                rest = comma < 0 ? default : rest[(comma + 1)..];
            }
        }

        return false;
    }
}
