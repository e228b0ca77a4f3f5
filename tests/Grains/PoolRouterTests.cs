using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// The path every edge takes: a pool's router on the silo that received the call picks from its view of the pool
/// and reserves at the backend grain, which alone admits. Caps, drains and counts hold whatever the view says.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolRouterTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task LeastConnections_30Handshakes_10OnEachBackend_AndThePoolCountsThemAll()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);

        var picks = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var route = await router.Route(new RouteRequest("edge-1", null));
            Assert.Equal(RouteOutcome.Routed, route.Outcome);
            Assert.NotNull(route.Reservation);
            picks.Add(route.BackendId!);
        }

        Assert.Equal([10, 10, 10], picks.GroupBy(p => p).OrderBy(g => g.Key).Select(g => g.Count()));
        await Eventually.Until(
            () => _grains.Backends(pool),
            backends => backends.All(b => b.Connections == 10 && b.TotalConnections == 10),
            "the pool to count 10 connections on each backend");
    }

    /// <summary>
    /// Uncapped backends: the router admits on its own and tells each backend grain afterwards, many at a time. Each
    /// edge's reservations are numbered 1, 2, 3, … per backend, and the counts end exact.
    /// </summary>
    [Fact]
    public async Task Uncapped_200ConcurrentHandshakesFrom4Edges_NumberedPerEdge_CountedExactly()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);

        var requests = Enumerable.Range(0, 200).Select(i => $"edge-{i % 4}").ToList();
        var routes = await Task.WhenAll(requests.Select(edge => router.Route(new RouteRequest(edge, null)).AsTask()));

        Assert.All(routes, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        foreach (var numbering in requests.Zip(routes).GroupBy(p => (Edge: p.First, p.Second.BackendId)))
        {
            Assert.Equal(
                Enumerable.Range(1, numbering.Count()).Select(n => (long)n),
                numbering.Select(p => p.Second.Reservation!.Value.Sequence).Order());
        }

        var routedTo = routes.GroupBy(r => r.BackendId!).ToDictionary(g => g.Key, g => g.Count());
        await Eventually.Until(
            () => _grains.Backends(pool),
            backends => backends.All(b => b.Connections == routedTo.GetValueOrDefault(b.Id) && b.TotalConnections == routedTo.GetValueOrDefault(b.Id)),
            $"the pool to count what the router admitted ({string.Join(", ", routedTo.Select(p => $"{p.Key}: {p.Value}"))})");
    }

    [Fact]
    public async Task CapOf10_100ConcurrentHandshakes_Exactly10Admitted_TheRestRefusedAsFull()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1, maxConnections: 10));
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);

        var routes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => router.Route(new RouteRequest($"edge-{i % 4}", null)).AsTask()));

        Assert.Equal(10, routes.Count(r => r.Outcome == RouteOutcome.Routed));
        Assert.All(routes.Where(r => r.Outcome != RouteOutcome.Routed), r => Assert.Equal(RouteOutcome.AllFull, r.Outcome));
        Assert.Equal(10, (await _grains.BackendView(pool, "b1")).Live);
    }

    [Fact]
    public async Task Drained_TheNextHandshakeGoesElsewhere_ThoughTheRoutersViewIsOlderThanTheDrain()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 2));
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);
        Assert.Equal(RouteOutcome.Routed, (await router.Route(new RouteRequest("edge-1", null))).Outcome);

        await _grains.GetGrain<IPoolGrain>(pool).SetAdminState("b1", BackendAdminState.Draining);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("b2", (await router.Route(new RouteRequest("edge-1", null))).BackendId);
        }
    }

    [Fact]
    public async Task AllDrained_Refused_SayingWhy()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 2));
        var poolGrain = _grains.GetGrain<IPoolGrain>(pool);
        await poolGrain.SetAdminState("b1", BackendAdminState.Draining);
        await poolGrain.SetAdminState("b2", BackendAdminState.Draining);

        var route = await _grains.GetGrain<IPoolRouterGrain>(pool).Route(new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.AllUnavailable, route.Outcome);
    }

    [Fact]
    public async Task BackendAddedAtRunTime_RoutedToOnceTheEdgeKnowsTheNewVersion()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1));
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b1", (await router.Route(new RouteRequest("edge-1", null))).BackendId);
        }

        var added = await _grains.GetGrain<IPoolGrain>(pool).UpsertBackend(Pools.Backend("b2", 5002));
        var version = added.Pool!.Version;

        // The edge's route table has the new version: the router reads the pool again before it routes.
        var route = await router.Route(new RouteRequest("edge-1", null, KnownVersion: version));
        Assert.Equal("b2", route.BackendId);
        Assert.Equal(version, route.PoolVersion);
    }

    [Fact]
    public async Task UnknownPool_SaysSo()
    {
        var route = await _grains.GetGrain<IPoolRouterGrain>("never-seeded-either").Route(new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.UnknownPool, route.Outcome);
    }

    [Fact]
    public async Task Sticky_TheSameKeyStaysOnItsBackend_AndNewKeysRotate()
    {
        var definition = Pools.Define(StrategyNames.Sticky, 3);
        var pool = await SeedAsync(definition with { Settings = definition.Settings with { Affinity = new AffinitySettings { Key = new RequestKey(RequestKeyKind.Query, "s") } } });
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);

        var first = new List<string>();
        for (var session = 0; session < 3; session++)
        {
            first.Add((await router.Route(new RouteRequest("edge-1", $"session-{session}"))).BackendId!);
        }

        Assert.Equal(["b1", "b2", "b3"], first);
        Assert.Equal("b2", (await router.Route(new RouteRequest("edge-2", "session-1"))).BackendId);
    }

    private async Task<string> SeedAsync(PoolDefinition pool)
    {
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);
        return pool.Settings.Name;
    }
}
