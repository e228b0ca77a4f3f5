using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.BackendClient;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// How YARP forwards a plain request: its plain copy (every header, the client's Host included), the
/// <see cref="ForwardedHeaders"/>, and the pool's affinity cookie (an <see cref="AffinityTicket"/>) kept from the
/// backend and added to the answer.
/// </summary>
internal sealed class ForwardedHeadersTransformer : HttpTransformer
{
    public static ForwardedHeadersTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        if (httpContext.Features.Get<AffinityTicket>() is { Brought: true } ticket)
        {
            CookieHeader.Remove(proxyRequest, ticket.Name);
        }

        var headers = proxyRequest.Headers;
        foreach (var name in headers.NonValidated.Select(h => h.Key).Where(ForwardedHeaders.IsClientSupplied).ToList())
        {
            headers.Remove(name);
        }

        var (client, proto, host) = ForwardedHeaders.Of(httpContext);
        if (client is not null)
        {
            headers.TryAddWithoutValidation(ForwardedHeaders.For, client);
        }

        headers.TryAddWithoutValidation(ForwardedHeaders.Proto, proto);
        if (host is not null)
        {
            headers.TryAddWithoutValidation(ForwardedHeaders.Host, host);
        }
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && httpContext.Features.Get<AffinityTicket>() is { SetCookie: { } cookie })
        {
            httpContext.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.SetCookie, cookie);
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
