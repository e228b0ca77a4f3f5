using System.Collections.Immutable;
using WsOrleans.Backends;

namespace WsOrleans.Pools;

/// <summary>What a router needs to route a pool: its settings and version, and each member as the pool grain last saw it.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.pool-routing")]
public sealed record class PoolRouting(
    [property: Id(0)] PoolSettings Settings,
    [property: Id(1)] int Version,
    [property: Id(2)] ImmutableArray<RoutingMember> Members);

/// <summary>One member of a pool, in configuration order: its backend's last view, and when its slow start began (null when none).</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.routing-member")]
public sealed record class RoutingMember(
    [property: Id(0)] BackendView View,
    [property: Id(1)] DateTimeOffset? RampStarted);
