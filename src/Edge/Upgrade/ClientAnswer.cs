using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WsOrleans.Edge.BackendClient;

namespace WsOrleans.Edge.Upgrade;

/// <summary>
/// Gives the client the backend's answer to its handshake: the headers the backend sent (not the hop-by-hop ones),
/// the pool's affinity cookie when one is set, and either the switch of protocols or the answer's status and body.
/// </summary>
internal static class ClientAnswer
{
    /// <summary>
    /// Switches the client's protocol as the backend did: a <c>101</c> over HTTP/1.1, a <c>200</c> to an HTTP/2 extended
    /// CONNECT (without <c>Sec-WebSocket-Accept</c>, which HTTP/2 has not). Returns the client's upgraded stream.
    /// </summary>
    public static async Task<Stream> UpgradeAsync(HttpContext context, ResponseHead answer, string? setCookie)
    {
        var http2 = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };
        CopyHeaders(answer, context.Response.Headers, skip: http2 ? HeaderNames.SecWebSocketAccept : null, setCookie);
        Stream client;
        if (http2)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            client = await context.Features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync();
        }
        else
        {
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "websocket";
            client = await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
        }

        // An upgraded request lasts as long as its tunnel.
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
        return client;
    }

    /// <summary>Relays an answer that did not switch protocols: its status, reason, headers and whole body.</summary>
    public static Task RelayAsync(HttpContext context, ResponseHead answer, byte[] body, string? setCookie)
    {
        var response = context.Response;
        response.StatusCode = (int)answer.Status;
        if (!HttpProtocol.IsHttp2(context.Request.Protocol) && answer.Reason != ReasonPhrases.GetReasonPhrase((int)answer.Status))
        {
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = answer.Reason;
        }

        CopyHeaders(answer, response.Headers, skip: null, setCookie);
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void CopyHeaders(ResponseHead answer, IHeaderDictionary headers, string? skip, string? setCookie)
    {
        foreach (var (name, value) in answer.Headers)
        {
            if (!HopByHopHeaders.Names.Contains(name) && !name.Equals(skip, StringComparison.OrdinalIgnoreCase))
            {
                headers.Append(name, value);
            }
        }

        if (setCookie is not null)
        {
            headers.Append(HeaderNames.SetCookie, setCookie);
        }
    }
}
