using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>A pool's own settings: where clients connect and how a backend is chosen.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.pool-settings")]
public sealed record class PoolSettings
{
    /// <summary>The default path of a pool: <c>/ws</c>.</summary>
    public const string DefaultPath = "/ws";

    /// <summary>The pool's name; also the key of its routing grain.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The path prefix whose WebSocket upgrades this pool takes. The default is <c>/ws</c>.</summary>
    [Id(1)] public string Path { get; init; } = DefaultPath;

    /// <summary>One of <see cref="StrategyNames"/>. The default is <c>LeastConnections</c>.</summary>
    [Id(2)] public string Strategy { get; init; } = StrategyNames.LeastConnections;

    /// <summary>The key the <c>Hash</c> strategy hashes; required by it, ignored by the others.</summary>
    [Id(3)] public RequestKey? HashKey { get; init; }

    /// <summary>The affinity key of the <c>Sticky</c> strategy (required by it), or the pool's affinity cookie (any other strategy).</summary>
    [Id(4)] public AffinitySettings? Affinity { get; init; }

    /// <summary>Active health checks.</summary>
    [Id(5)] public HealthCheckSettings HealthCheck { get; init; } = new();

    /// <summary>How edges check the certificates of <c>wss://</c> backends. The default checks them against the machine's roots.</summary>
    [Id(6)] public BackendTlsSettings BackendTls { get; init; } = new();

    /// <summary>Which handshakes edges admit to the pool. The default admits every well-formed one.</summary>
    [Id(7)] public AdmissionSettings Admission { get; init; } = new();

    /// <summary>What edges do with a request on the path that is not a WebSocket handshake. The default forwards it.</summary>
    [Id(8)] public PoolHttpMode Http { get; init; } = PoolHttpMode.Forward;

    /// <summary>How live connections are moved toward the backends' fair shares. The default never moves them by itself.</summary>
    [Id(9)] public RebalanceSettings Rebalance { get; init; } = new();

    /// <summary>
    /// A backend that joins, is undrained or turns healthy again gets a share of new connections that ramps
    /// linearly from nothing to its weight over this window. The default is zero: no ramp.
    /// </summary>
    [Id(10)] public TimeSpan SlowStart { get; init; }

    /// <summary>
    /// Whether an edge routes a handshake itself, from its last view of the pool, when the cluster does not
    /// answer in time, rather than refusing it with 503. The default is true.
    /// </summary>
    [Id(11)] public bool DegradedRouting { get; init; } = true;

    /// <summary>The part of the handshake this pool's strategy reads, or null when it reads none.</summary>
    public RequestKey? RoutingKey =>
        Strategy == StrategyNames.IpHash ? RequestKey.ClientAddress
        : Strategy == StrategyNames.Hash ? HashKey
        : Strategy == StrategyNames.Sticky ? Affinity?.Key
        : null;
}
