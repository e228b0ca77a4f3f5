using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Hosting.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// How the edge reaches backends: one shared <see cref="HttpMessageInvoker"/> set up the way YARP
/// recommends for proxying (no proxy, redirects, cookies or decompression), the per-request
/// forwarding settings, and each backend's <c>ws://</c> address as the <c>http://</c> prefix YARP takes.
/// The handler connects backend sockets itself, so a handshake's socket can be handed to its <see cref="Tunnel"/>.
/// </summary>
internal sealed class BackendTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _prefixes = new(StringComparer.Ordinal);
    private readonly ForwarderRequestConfig _handedOff;
    private readonly ForwarderRequestConfig _carriedByYarp;

    public BackendTransport(WsOrleansSettings settings)
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = settings.Edge.BackendConnectTimeout,

            // Every handshake gets its own connection: an upgraded one is never reused anyway, and a
            // refused handshake's connection must not carry the next one (its socket is that handshake's).
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
        });

        // Backends are spoken to in HTTP/1.1 (a WebSocket upgrade); a client's HTTP/2 extended
        // CONNECT is turned into an upgrade by YARP. YARP's activity timeout covers the wait for the
        // backend's answer, and, where YARP also carries the tunnel (TLS backends), the tunnel.
        _handedOff = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            ActivityTimeout = settings.Edge.BackendResponseTimeout,
        };
        _carriedByYarp = _handedOff with { ActivityTimeout = settings.Edge.ActivityTimeout };
    }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig(string address) => CanHandOff(address) ? _handedOff : _carriedByYarp;

    /// <summary><c>ws://host:port/base</c> → <c>http://host:port/base</c>; <c>wss://</c> → <c>https://</c>.</summary>
    public string DestinationPrefix(string address) => _prefixes.GetOrAdd(address, static a =>
        a.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + a[6..]
        : a.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + a[5..]
        : a);

    /// <summary>Whether the edge can carry this backend's tunnel on the raw socket (plain ws://; TLS stays with the handler).</summary>
    public static bool CanHandOff(string address) => address.StartsWith("ws://", StringComparison.OrdinalIgnoreCase);

    public void Dispose() => Invoker.Dispose();

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (context.InitialRequestMessage.Options.TryGetValue(TunnelHandoff.Key, out var handoff))
        {
            handoff.Backend = socket;
            return new HandoffNetworkStream(socket, handoff);
        }

        return new NetworkStream(socket, ownsSocket: true);
    }
}
