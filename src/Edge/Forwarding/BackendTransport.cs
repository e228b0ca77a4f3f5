using System.Collections.Concurrent;
using System.Net;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Hosting.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// How the edge reaches backends. Handshakes to plain <c>ws://</c> backends go through the edge's
/// own <see cref="UpgradeHandler"/>, whose sockets a tunnel can take over; handshakes to
/// <c>wss://</c> backends through a <see cref="SocketsHttpHandler"/> set up the way YARP recommends
/// (TLS, no proxy, redirects, cookies or decompression), with YARP carrying their tunnels.
/// </summary>
internal sealed class BackendTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _prefixes = new(StringComparer.Ordinal);
    private readonly HttpMessageInvoker _plain;
    private readonly HttpMessageInvoker _tls;
    private readonly ForwarderRequestConfig _handedOff;
    private readonly ForwarderRequestConfig _carriedByYarp;

    public BackendTransport(WsOrleansSettings settings)
    {
        _plain = new HttpMessageInvoker(new UpgradeHandler(settings.Edge.BackendConnectTimeout));
        _tls = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = settings.Edge.BackendConnectTimeout,
        });

        // Backends are spoken to in HTTP/1.1 (a WebSocket upgrade); a client's HTTP/2 extended
        // CONNECT is turned into an upgrade by YARP. YARP's activity timeout covers the wait for the
        // backend's answer and, where YARP also carries the tunnel (TLS backends), the tunnel.
        _handedOff = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = settings.Edge.BackendResponseTimeout,
        };
        _carriedByYarp = _handedOff with { VersionPolicy = HttpVersionPolicy.RequestVersionOrLower, ActivityTimeout = settings.Edge.ActivityTimeout };
    }

    /// <summary>Whether the edge carries this backend's tunnels itself (plain ws://; TLS stays with YARP).</summary>
    public static bool CanHandOff(string address) => address.StartsWith("ws://", StringComparison.OrdinalIgnoreCase);

    public HttpMessageInvoker Invoker(string address) => CanHandOff(address) ? _plain : _tls;

    public ForwarderRequestConfig RequestConfig(string address) => CanHandOff(address) ? _handedOff : _carriedByYarp;

    /// <summary><c>ws://host:port/base</c> → <c>http://host:port/base</c>; <c>wss://</c> → <c>https://</c>.</summary>
    public string DestinationPrefix(string address) => _prefixes.GetOrAdd(address, static a =>
        a.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + a[6..]
        : a.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + a[5..]
        : a);

    public void Dispose()
    {
        _plain.Dispose();
        _tls.Dispose();
    }
}
