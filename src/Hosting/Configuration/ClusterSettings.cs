using System.Net;

namespace WsOrleans.Hosting.Configuration;

/// <summary><c>WsOrleans:Cluster</c>: how this process joins the Orleans cluster.</summary>
public sealed record class ClusterSettings
{
    /// <summary>The default silo-to-silo port, Orleans' own: 11111.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The default gateway port clients connect to, Orleans' own: 30000.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The deployment mode. The default is <see cref="ClusterMode.Embedded"/>.</summary>
    public ClusterMode Mode { get; init; } = ClusterMode.Embedded;

    /// <summary>Orleans' service id; the same for every process of one deployment. The default is <c>wsorleans</c>.</summary>
    public string ServiceId { get; init; } = "wsorleans";

    /// <summary>Orleans' cluster id. The default is <c>dev</c>.</summary>
    public string ClusterId { get; init; } = "dev";

    /// <summary>The Redis connection string (Redis mode).</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>The port this silo listens on for other silos. The default is 11111.</summary>
    public int SiloPort { get; init; } = DefaultSiloPort;

    /// <summary>The port this silo accepts clients on, and the one Localhost-mode clients connect to. The default is 30000.</summary>
    public int GatewayPort { get; init; } = DefaultGatewayPort;

    /// <summary>
    /// The address other silos and edges reach this silo at (Redis mode). The default is the one
    /// Orleans picks: this machine's first non-loopback address.
    /// </summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>The silo port of the primary silo that other Localhost-mode silos join. The default is 11111.</summary>
    public int PrimarySiloPort { get; init; } = DefaultSiloPort;

    /// <summary>Mutual TLS between silos and between edges and silos. Off by default.</summary>
    public ClusterTlsSettings Tls { get; init; } = new();

    /// <summary>
    /// Where a silo process serves the Orleans Dashboard (<c>;</c>-separated URLs). Empty, the
    /// default, turns it off: it profiles every grain call, which costs routing throughput.
    /// </summary>
    public string DashboardUrls { get; init; } = "";

    /// <summary>Each URL of <see cref="DashboardUrls"/>.</summary>
    public IReadOnlyList<string> DashboardUrlList => DashboardUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
