using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// The path an edge takes by default (<c>WsOrleans:Edge:RouteLocally</c>): it routes by itself, from a view read from
/// the silo router, admits uncapped backends without a grain call and counts them at the backend grains afterwards;
/// capped backends still admit each connection themselves; RoundRobin and Sticky pools stay with the silo's router.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EdgeRoutingTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Uncapped_FourEdgesRoutingByThemselves_200ConcurrentHandshakes_NumberedPerEdge_CountedExactly()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));
        var edges = Enumerable.Range(0, 4).Select(_ => EdgeRouter(pool)).ToList();

        var requests = Enumerable.Range(0, 200).Select(i => (Edge: $"edge-{i % 4}", Router: edges[i % 4])).ToList();
        var routes = await Task.WhenAll(requests.Select(r => r.Router.RouteAsync(new RouteRequest(r.Edge, null)).AsTask()));

        Assert.All(routes, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        foreach (var numbering in requests.Zip(routes).GroupBy(p => (p.First.Edge, p.Second.BackendId)))
        {
            // One numbering per edge and backend, 1, 2, 3, … with no gap: what the edge's reports name.
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
            $"the pool to count what the edges admitted ({string.Join(", ", routedTo.Select(p => $"{p.Key}: {p.Value}"))})");
    }

    [Fact]
    public async Task CapOf10_FourEdgesRoutingByThemselves_100ConcurrentHandshakes_Exactly10Admitted()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1, maxConnections: 10));
        var edges = Enumerable.Range(0, 4).Select(_ => EdgeRouter(pool)).ToList();

        var routes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => edges[i % 4].RouteAsync(new RouteRequest($"edge-{i % 4}", null)).AsTask()));

        Assert.Equal(10, routes.Count(r => r.Outcome == RouteOutcome.Routed));
        Assert.All(routes.Where(r => r.Outcome != RouteOutcome.Routed), r => Assert.Equal(RouteOutcome.AllFull, r.Outcome));
        Assert.Equal(10, (await _grains.BackendView(pool, "b1")).Live);
    }

    /// <summary>
    /// The edge's view is a copy of the silo router's, two reads from the pool grain; it ages from the router's read,
    /// so the drain, answered once the views are caught up, holds at the edge too.
    /// </summary>
    [Fact]
    public async Task Drained_TheEdgesNextHandshakeGoesElsewhere_ThoughItsViewIsOlderThanTheDrain()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 2));
        var edge = EdgeRouter(pool);
        Assert.Equal(RouteOutcome.Routed, (await edge.RouteAsync(new RouteRequest("edge-1", null))).Outcome);

        await _grains.GetGrain<IPoolGrain>(pool).SetAdminState("b1", BackendAdminState.Draining);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("b2", (await edge.RouteAsync(new RouteRequest("edge-1", null))).BackendId);
        }
    }

    [Fact]
    public async Task BackendAddedAtRunTime_RoutedToOnceTheEdgeKnowsTheNewVersion()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 1));
        var edge = EdgeRouter(pool);
        Assert.Equal("b1", (await edge.RouteAsync(new RouteRequest("edge-1", null))).BackendId);

        var version = (await _grains.GetGrain<IPoolGrain>(pool).UpsertBackend(Pools.Backend("b2", 5002))).Pool!.Version;

        var route = await edge.RouteAsync(new RouteRequest("edge-1", null, KnownVersion: version));
        Assert.Equal("b2", route.BackendId);
        Assert.Equal(version, route.PoolVersion);
    }

    /// <summary>RoundRobin's order is the silo router's: two edges alternating see one sequence, not one each.</summary>
    [Fact]
    public async Task RoundRobin_TwoEdgesAlternating_FollowOneSequence()
    {
        var pool = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 3));
        var edges = new[] { EdgeRouter(pool), EdgeRouter(pool) };

        var picks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            picks.Add((await edges[i % 2].RouteAsync(new RouteRequest($"edge-{i % 2}", null))).BackendId!);
        }

        Assert.Equal(["b1", "b2", "b3", "b1", "b2", "b3"], picks);
    }

    [Fact]
    public async Task UnknownPool_SaysSo()
    {
        var route = await EdgeRouter("never-seeded-at-an-edge").RouteAsync(new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.UnknownPool, route.Outcome);
    }

    private CachedPoolRouter EdgeRouter(string pool) =>
        CachedPoolRouter.ForEdge(_grains.GetGrain<IPoolRouterGrain>(pool), _grains, TimeProvider.System, NullLogger.Instance);

    private async Task<string> SeedAsync(PoolDefinition pool)
    {
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);
        return pool.Settings.Name;
    }
}
