using System.Collections.Immutable;
using System.Net;

namespace WsOrleans.Hosting.Configuration;

/// <summary><c>WsOrleans:Edge</c>: this edge's identity and how it waits on the cluster.</summary>
public sealed record class EdgeSettings
{
    /// <summary>The edge's id; connection counts are kept per edge. The default is unique per process.</summary>
    public string Id { get; init; } = DefaultId();

    /// <summary>How long a handshake may wait for the routing grain before it gets 503. The default is five seconds.</summary>
    public TimeSpan RouteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the edge routes pools by itself, from a view of the pool it reads from its silo's router (every 10 ms
    /// under load): a handshake to a backend without a cap then makes no grain call at all (its count reaches the backend
    /// grain afterwards, batched); a capped backend's grain is still asked first, and RoundRobin and Sticky pools are
    /// still routed by the silo's router. The default is true; false asks the silo's router for every handshake.
    /// </summary>
    public bool RouteLocally { get; init; } = true;

    /// <summary>The <c>Retry-After</c> a 503 carries. The default is five seconds.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A tunnel that moves no byte either way for this long is closed (HAProxy's <c>timeout tunnel</c>).
    /// The default is one hour.
    /// </summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A forwarded plain HTTP request (a long poll, an event stream, an upload) that moves no byte either way
    /// for this long is cut: 504 if the backend had not answered yet, otherwise the response is aborted. The
    /// default is five minutes, well above SignalR's 90-second long polls and Socket.IO's 25-second pings.
    /// </summary>
    public TimeSpan HttpActivityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether plain HTTP/1.1 tunnels leave the HTTP server once upgraded and are carried socket to
    /// socket (less memory and CPU per connection). The default is true; false keeps every tunnel
    /// on the server's upgraded request stream.
    /// </summary>
    public bool DetachTunnels { get; init; } = true;

    /// <summary>
    /// What carries detached plain tunnels. The default is <see cref="TunnelEngine.EventLoop"/> (on Linux x64; elsewhere,
    /// and for TLS tunnels, the managed engine carries them whatever this says).
    /// </summary>
    public TunnelEngine Tunnel { get; init; } = TunnelEngine.EventLoop;

    /// <summary>
    /// On shutdown (SIGTERM) the edge stops accepting and closes its tunnels with 1001, spread
    /// evenly over this window. The default is ten seconds; zero closes them all at once.
    /// </summary>
    public TimeSpan DrainWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a TCP connect to a backend may take. The default is five seconds.</summary>
    public TimeSpan BackendConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a backend may take to answer a forwarded handshake before the client gets 504. The default is ten seconds.</summary>
    public TimeSpan BackendResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many backends one handshake may be tried on: when a backend cannot be reached, does not
    /// answer in time or answers 5xx, the edge reports it and asks for another one, up to this many
    /// in all, before the client gets an answer. The default is 3; 1 turns retries off.
    /// </summary>
    public int RouteAttempts { get; init; } = 3;

    /// <summary>How often the edge re-reads the cluster's pools. The default is two seconds.</summary>
    public TimeSpan RouteRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the cluster keeps counting this edge's connections after its last heartbeat. An edge that is
    /// silent may be dead (killed: its connections are gone) or cut off from the cluster (its connections
    /// still flow, and still fill their backends' caps), and the cluster cannot tell which: a longer lease
    /// rides through longer partitions without a capped backend going over its cap; a shorter one frees a
    /// killed edge's share sooner. The default is one minute.
    /// </summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the edge reports its live connections (and renews its lease): counts that drifted are exact
    /// again within one. The default is five seconds (read from configuration: a third of <see cref="LeaseTime"/> when that is shorter).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a client may take to send a handshake's request line and headers before its connection
    /// is closed (Kestrel's <c>RequestHeadersTimeout</c>; HAProxy's <c>timeout http-request</c>). The default is ten seconds.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request line and headers, in bytes, together; a larger handshake gets 431. The default is 32 KiB.</summary>
    public int MaxRequestHeadersSize { get; init; } = 32 * 1024;

    /// <summary>
    /// The proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> names the client. The default is none:
    /// the client is the socket's peer, and any <c>X-Forwarded-For</c> it sends is ignored.
    /// </summary>
    public ImmutableArray<IPNetwork> TrustedProxies { get; init; } = [];

    public static string DefaultId() =>
        $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
}
