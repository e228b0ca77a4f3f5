using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>The part of a pool's settings that says how a backend is chosen; what the admin API changes at run time.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.strategy-settings")]
public sealed record class StrategySettings
{
    /// <summary>One of <see cref="StrategyNames"/>, in its canonical spelling.</summary>
    [Id(0)] public required string Strategy { get; init; }

    /// <summary>The key the <c>Hash</c> strategy hashes; required by it, ignored by the others.</summary>
    [Id(1)] public RequestKey? HashKey { get; init; }

    /// <summary>The affinity key of the <c>Sticky</c> strategy (required by it), or the pool's affinity cookie.</summary>
    [Id(2)] public AffinitySettings? Affinity { get; init; }
}
