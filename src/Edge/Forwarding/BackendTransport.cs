using System.Collections.Concurrent;
using System.Net;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Hosting.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// How YARP reaches backends: through the edge's own <see cref="UpgradeHandler"/> (plain TCP for
/// <c>ws://</c>, TLS for <c>wss://</c>), whose connections a tunnel takes over after the 101, and
/// each backend's address as the <c>http://</c> or <c>https://</c> prefix YARP takes.
/// </summary>
internal sealed class BackendTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public BackendTransport(WsOrleansSettings settings)
    {
        Invoker = new HttpMessageInvoker(new UpgradeHandler(settings.Edge.BackendConnectTimeout));

        // Backends are spoken to in HTTP/1.1 (a WebSocket upgrade); a client's HTTP/2 extended
        // CONNECT is turned into an upgrade by YARP. YARP's activity timeout only covers the wait
        // for the backend's answer: after the 101 the tunnel is the edge's.
        RequestConfig = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = settings.Edge.BackendResponseTimeout,
        };
    }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary><c>ws://host:port/base</c> → <c>http://host:port/base</c>; <c>wss://</c> → <c>https://</c>.</summary>
    public string DestinationPrefix(string address) => _prefixes.GetOrAdd(address, static a =>
        a.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + a[6..]
        : a.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + a[5..]
        : a);

    public void Dispose() => Invoker.Dispose();
}
