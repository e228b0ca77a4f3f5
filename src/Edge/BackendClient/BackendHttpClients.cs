using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using WsOrleans.Dialing;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// The HTTP clients that forward plain requests (SignalR's negotiate, Server-Sent Events, long polls) to
/// backends: pooled keep-alive connections, one client per certificate policy, set up as YARP's own
/// forwarder client (no proxy, redirects, cookies or decompression), connecting with the
/// <see cref="BackendDialer"/> so a backend that cannot be reached fails as a connection error, which
/// the edge may retry on another backend.
/// </summary>
internal sealed class BackendHttpClients(BackendTlsPolicies tls, WsOrleansSettings settings) : IDisposable
{
    // Node.js servers (Socket.IO's) close idle keep-alive connections after 5 s; the edge lets go first.
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(4);

    private static readonly BackendTlsSettings DefaultTls = new();

    private readonly ConcurrentDictionary<BackendTlsSettings, Lazy<HttpMessageInvoker>> _clients = new();

    public HttpMessageInvoker For(PoolRoute pool) =>
        _clients.GetOrAdd(pool.BackendTls ?? DefaultTls, static (policy, state) => new(() => state.Self.Create(state.Pool, policy)), (Self: this, Pool: pool.Name)).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private HttpMessageInvoker Create(string pool, BackendTlsSettings policy)
    {
        var connectTimeout = settings.Edge.BackendConnectTimeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = IdleTimeout,

            // The dialer has the connect deadline; this one also covers a TLS handshake that hangs.
            ConnectTimeout = connectTimeout * 2,
            ConnectCallback = async (context, cancellationToken) =>
                new NetworkStream(await BackendDialer.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, connectTimeout, cancellationToken), ownsSocket: true),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = tls.Callback(pool, policy);
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
