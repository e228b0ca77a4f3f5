using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// How the edge reaches backends: one shared <see cref="HttpMessageInvoker"/> set up the way YARP
/// recommends for proxying (no proxy, redirects, cookies or decompression), the per-request
/// forwarding settings, and each backend's <c>ws://</c> address as the <c>http://</c> prefix YARP takes.
/// </summary>
internal sealed class BackendTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public BackendTransport()
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
    }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>
    /// Backends are spoken to in HTTP/1.1 (a WebSocket upgrade); a client's HTTP/2 extended CONNECT is
    /// turned into an upgrade by YARP. Idle tunnels are closed after an hour without traffic either way.
    /// </summary>
    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromHours(1),
    };

    /// <summary><c>ws://host:port/base</c> → <c>http://host:port/base</c>; <c>wss://</c> → <c>https://</c>.</summary>
    public string DestinationPrefix(string address) => _prefixes.GetOrAdd(address, static a =>
        a.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + a[6..]
        : a.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + a[5..]
        : a);

    public void Dispose() => Invoker.Dispose();
}
