using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.Tunneling;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// YARP's plain request copy (every header, the client's Host included, so query, subprotocols, extensions
/// and custom headers reach the backend as the client sent them), plus <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c>.
/// Values a client sent in those headers (or in <c>Forwarded</c> and <c>X-Real-IP</c>) are dropped, not trusted. It also hands the request's
/// <see cref="TunnelHandoff"/> to the handler that connects the backend, holds back a backend's 5xx
/// answer when the <see cref="HandshakeAttempt"/> may be retried on another backend, keeps the pool's
/// affinity cookie (an <see cref="AffinityTicket"/>) from the backend and adds it to the answer.
/// </summary>
internal sealed class ForwardedHeadersTransformer : HttpTransformer
{
    private const string XForwardedFor = "X-Forwarded-For";
    private const string XForwardedProto = "X-Forwarded-Proto";
    private const string XForwardedHost = "X-Forwarded-Host";
    private const string Forwarded = "Forwarded";
    private const string XRealIp = "X-Real-IP";

    public static ForwardedHeadersTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        if (httpContext.Features.Get<TunnelHandoff>() is { } handoff)
        {
            proxyRequest.Options.Set(TunnelHandoff.Key, handoff);
        }

        if (httpContext.Features.Get<AffinityTicket>() is { Brought: true } ticket)
        {
            CookieHeader.Remove(proxyRequest, ticket.Name);
        }

        var headers = proxyRequest.Headers;
        headers.Remove(XForwardedFor);
        headers.Remove(XForwardedProto);
        headers.Remove(XForwardedHost);
        headers.Remove(Forwarded);
        headers.Remove(XRealIp);
        if (Routing.RequestKeyReader.ClientAddress(httpContext) is { } client)
        {
            headers.TryAddWithoutValidation(XForwardedFor, client);
        }

        headers.TryAddWithoutValidation(XForwardedProto, httpContext.Request.Scheme);
        if (httpContext.Request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(XForwardedHost, httpContext.Request.Host.Value);
        }
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && (int)proxyResponse.StatusCode >= StatusCodes.Status500InternalServerError
            && httpContext.Features.Get<HandshakeAttempt>() is { Retryable: true } attempt)
        {
            attempt.HeldBackStatus = (int)proxyResponse.StatusCode;
            return ValueTask.FromResult(false);
        }

        if (proxyResponse is not null && httpContext.Features.Get<AffinityTicket>() is { SetCookie: { } cookie })
        {
            httpContext.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.SetCookie, cookie);
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
