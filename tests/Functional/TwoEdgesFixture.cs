using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The shared-state deployment: one Localhost-mode silo that holds the pools, and two edges that join
/// it as clients with no <c>Pools</c> of their own, in front of three echo backends. Pool <c>capped</c>
/// has a (at most 10 connections) and b (at most 30); pools <c>pinned</c> and <c>pinned2</c> issue
/// affinity cookies (round robin makes the first pick).
/// </summary>
public sealed class TwoEdgesFixture() : SiloAndTwoEdgesFixture(backends: 3)
{
    private protected override IEnumerable<KeyValuePair<string, string?>> SiloConfiguration(EchoBackends backends) =>
        [
            new("WsOrleans:Pools:default:Path", "/ws"),
            new("WsOrleans:Pools:default:Strategy", "LeastConnections"),
            .. backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:sticky:Path", "/sticky"),
            new("WsOrleans:Pools:sticky:Strategy", "Sticky"),
            new("WsOrleans:Pools:sticky:Affinity:Key", "query:session"),
            .. backends.AsBackendsOf("sticky"),
            new("WsOrleans:Pools:rooms:Path", "/rooms"),
            new("WsOrleans:Pools:rooms:Strategy", "Hash"),
            new("WsOrleans:Pools:rooms:HashKey", "query:room"),
            .. backends.AsBackendsOf("rooms"),
            new("WsOrleans:Pools:pinned:Path", "/pinned"),
            new("WsOrleans:Pools:pinned:Strategy", "RoundRobin"),
            new("WsOrleans:Pools:pinned:Affinity:Cookie", "srv"),
            .. backends.AsBackendsOf("pinned"),
            new("WsOrleans:Pools:pinned2:Path", "/pinned2"),
            new("WsOrleans:Pools:pinned2:Strategy", "RoundRobin"),
            new("WsOrleans:Pools:pinned2:Affinity:Cookie", "srv"),
            .. backends.AsBackendsOf("pinned2"),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            .. backends.AsBackendsOf("capped", "a", "b"),
            new("WsOrleans:Pools:capped:Backends:0:MaxConnections", "10"),
            new("WsOrleans:Pools:capped:Backends:1:MaxConnections", "30"),
        ];
}

[CollectionDefinition(Name)]
public sealed class TwoEdgesCollection : ICollectionFixture<TwoEdgesFixture>
{
    public const string Name = "two edges, one silo";
}
