using System.Collections.Concurrent;
using System.Net;
using WsOrleans.Dialing;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>
/// The HTTP clients of <c>Http</c> health checks, one per certificate policy, connecting with the
/// <see cref="BackendDialer"/>. Each check opens a new connection, as HAProxy's do: a check over a connection kept
/// from the last one would not notice a backend that stopped accepting.
/// </summary>
internal static class ProbeHttpClients
{
    private static readonly ConcurrentDictionary<BackendTlsSettings, HttpMessageInvoker> Clients = new();

    public static HttpMessageInvoker For(BackendTlsSettings tls) => Clients.GetOrAdd(tls, static policy =>
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.Zero,

            // The check's own timeout cancels the token; the dialer needs no deadline of its own.
            ConnectCallback = async (context, cancellationToken) =>
                new System.Net.Sockets.NetworkStream(await BackendDialer.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, Timeout.InfiniteTimeSpan, cancellationToken), ownsSocket: true),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = BackendCertificates.Callback(policy);
        return new HttpMessageInvoker(handler, disposeHandler: true);
    });
}
