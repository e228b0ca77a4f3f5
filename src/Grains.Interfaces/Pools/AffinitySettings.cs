using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>How the <c>Sticky</c> strategy finds a client's affinity key and how long a binding lives.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.affinity-settings")]
public sealed record class AffinitySettings
{
    /// <summary>The default time a binding lives after its last use: one hour.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>Where the key is read from: <c>cookie:NAME</c>, <c>header:NAME</c> or <c>query:NAME</c>.</summary>
    [Id(0)] public required RequestKey Key { get; init; }

    /// <summary>Sliding time to live of a binding. The default is one hour.</summary>
    [Id(1)] public TimeSpan Ttl { get; init; } = DefaultTtl;
}
