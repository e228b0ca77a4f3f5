using System.Collections.Immutable;
using WsOrleans.Backends;

namespace WsOrleans.Pools;

/// <summary>A pool in a status report: its settings and each backend's live state.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.pool-status")]
public sealed record class PoolStatus(
    [property: Id(0)] PoolSettings Settings,
    [property: Id(1)] int Version,
    [property: Id(2)] ImmutableArray<BackendStatus> Backends);
