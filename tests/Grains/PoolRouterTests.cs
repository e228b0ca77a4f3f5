using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// The two paths an edge takes: it routes by itself (the default, <c>WsOrleans:Edge:RouteLocally</c>), from a view read
/// from the silo's router, or it asks that router, which picks from its view of the pool the same way. Either admits an
/// uncapped backend without asking it and counts there afterwards, and asks a capped backend's grain, which alone
/// admits. Caps, drains and counts hold whatever the view says.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolRouterTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LeastConnections_30Handshakes_10OnEachBackend_AndThePoolCountsThemAll(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));
        var route = Deciders(pool, edgeRoutes, 1)[0];

        var picks = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var routed = await route(new RouteRequest("edge-1", null));
            Assert.Equal(RouteOutcome.Routed, routed.Outcome);
            Assert.NotNull(routed.Reservation);
            picks.Add(routed.BackendId!);
        }

        Assert.Equal([10, 10, 10], picks.GroupBy(p => p).OrderBy(g => g.Key).Select(g => g.Count()));
        await Eventually.Until(
            () => _grains.Backends(pool),
            backends => backends.All(b => b.Connections == 10 && b.TotalConnections == 10),
            "the pool to count 10 connections on each backend");
    }

    /// <summary>
    /// Uncapped backends: admitted without asking, and each backend grain told afterwards, many at a time. Each edge's
    /// reservations are numbered 1, 2, 3, … per backend in one numbering (per router, or per edge routing by itself),
    /// and the counts end exact.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Uncapped_200ConcurrentHandshakesFrom4Edges_NumberedPerEdge_CountedExactly(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));
        var deciders = Deciders(pool, edgeRoutes, 4);

        var requests = Enumerable.Range(0, 200).Select(i => (Edge: $"edge-{i % 4}", Route: deciders[i % 4])).ToList();
        var routes = await Task.WhenAll(requests.Select(r => r.Route(new RouteRequest(r.Edge, null)).AsTask()));

        Assert.All(routes, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        foreach (var numbering in requests.Zip(routes).GroupBy(p => (p.First.Edge, p.Second.BackendId)))
        {
            Assert.Single(numbering.Select(p => p.Second.Reservation!.Value.Epoch).Distinct());
            Assert.Equal(
                Enumerable.Range(1, numbering.Count()).Select(n => (long)n),
                numbering.Select(p => p.Second.Reservation!.Value.Sequence).Order());
        }

        var routedTo = routes.GroupBy(r => r.BackendId!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, routedTo.Count);
        await Eventually.Until(
            () => _grains.Backends(pool),
            backends => backends.All(b => b.Connections == routedTo.GetValueOrDefault(b.Id) && b.TotalConnections == routedTo.GetValueOrDefault(b.Id)),
            $"the pool to count what was admitted ({string.Join(", ", routedTo.Select(p => $"{p.Key}: {p.Value}"))})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CapOf10_100ConcurrentHandshakesFrom4Edges_Exactly10Admitted_TheRestRefusedAsFull(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1, maxConnections: 10));
        var deciders = Deciders(pool, edgeRoutes, 4);

        var routes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => deciders[i % 4](new RouteRequest($"edge-{i % 4}", null)).AsTask()));

        Assert.Equal(10, routes.Count(r => r.Outcome == RouteOutcome.Routed));
        Assert.All(routes.Where(r => r.Outcome != RouteOutcome.Routed), r => Assert.Equal(RouteOutcome.AllFull, r.Outcome));
        Assert.Equal(10, (await _grains.BackendView(pool, "b1")).Live);
    }

    /// <summary>
    /// The drain is answered once every view has it. An edge's view is a copy of the silo router's, two reads from the
    /// pool grain; it ages from the router's read, so the drain holds at the edge too.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Drained_TheNextHandshakeGoesElsewhere_ThoughTheViewIsOlderThanTheDrain(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 2));
        var route = Deciders(pool, edgeRoutes, 1)[0];
        Assert.Equal(RouteOutcome.Routed, (await route(new RouteRequest("edge-1", null))).Outcome);

        await _grains.GetGrain<IPoolGrain>(pool).SetAdminState("b1", BackendAdminState.Draining);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("b2", (await route(new RouteRequest("edge-1", null))).BackendId);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AllDrained_Refused_SayingWhy(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 2));
        var poolGrain = _grains.GetGrain<IPoolGrain>(pool);
        await poolGrain.SetAdminState("b1", BackendAdminState.Draining);
        await poolGrain.SetAdminState("b2", BackendAdminState.Draining);

        var route = await Deciders(pool, edgeRoutes, 1)[0](new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.AllUnavailable, route.Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BackendAddedAtRunTime_RoutedToOnceTheEdgeKnowsTheNewVersion(bool edgeRoutes)
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1));
        var route = Deciders(pool, edgeRoutes, 1)[0];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b1", (await route(new RouteRequest("edge-1", null))).BackendId);
        }

        var added = await _grains.GetGrain<IPoolGrain>(pool).UpsertBackend(Pools.Backend("b2", 5002));
        var version = added.Pool!.Version;

        // The edge's route table has the new version: the view is read again before the handshake is routed.
        var routed = await route(new RouteRequest("edge-1", null, KnownVersion: version));
        Assert.Equal("b2", routed.BackendId);
        Assert.Equal(version, routed.PoolVersion);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownPool_SaysSo(bool edgeRoutes)
    {
        var route = await Deciders($"never-seeded-{edgeRoutes}", edgeRoutes, 1)[0](new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.UnknownPool, route.Outcome);
    }

    /// <summary>RoundRobin's order is the silo router's: two edges alternating follow one sequence, not one each.</summary>
    [Fact]
    public async Task RoundRobin_TwoEdgesRoutingByThemselves_Alternating_FollowOneSequence()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 3));
        var edges = Deciders(pool, edgeRoutes: true, 2);

        var picks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            picks.Add((await edges[i % 2](new RouteRequest($"edge-{i % 2}", null))).BackendId!);
        }

        Assert.Equal(["b1", "b2", "b3", "b1", "b2", "b3"], picks);
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

    /// <summary>
    /// How <paramref name="edges"/> edges route <paramref name="pool"/>: each by itself (<paramref name="edgeRoutes"/>,
    /// as edges do by default), or all by asking the silo's router.
    /// </summary>
    private Func<RouteRequest, ValueTask<RouteResult>>[] Deciders(string pool, bool edgeRoutes, int edges)
    {
        var router = _grains.GetGrain<IPoolRouterGrain>(pool);
        return [.. Enumerable.Range(0, edges).Select(_ => edgeRoutes
            ? CachedPoolRouter.ForEdge(router, _grains, TimeProvider.System, NullLogger.Instance).RouteAsync
            : (Func<RouteRequest, ValueTask<RouteResult>>)router.Route)];
    }

    private async Task<string> SeedAsync(PoolDefinition pool)
    {
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);
        return pool.Settings.Name;
    }
}
