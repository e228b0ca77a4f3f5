using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class PoolGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Seed_ThenStatus_ListsBackendsInConfigurationOrder()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 3);

        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);

        var status = await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).GetStatus();
        Assert.NotNull(status);
        Assert.Equal(pool.Settings, status.Settings);
        Assert.Equal(["b1", "b2", "b3"], status.Backends.Select(b => b.Id));
        Assert.All(status.Backends, b => Assert.Equal((BackendHealth.Unknown, BackendAdminState.Active, 0L), (b.Health, b.AdminState, b.Connections)));
    }

    [Fact]
    public async Task Seed_SameDefinitionAgain_ChangesNothing()
    {
        var pool = Pools.Define(StrategyNames.LeastConnections, 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        var first = await grain.GetStatus();

        await grain.Seed(pool);

        Assert.Equal(first!.Version, (await grain.GetStatus())!.Version);
    }

    [Fact]
    public async Task Seed_ChangedDefinition_RemovesAndAddsBackends()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);

        await grain.Seed(pool.WithBackends(Pools.Backend("b2", 5002), Pools.Backend("b9", 5009)));

        Assert.Equal(["b2", "b9"], (await _grains.Backends(pool.Settings.Name)).Select(b => b.Id));
        var picks = new HashSet<string?>();
        for (var i = 0; i < 6; i++)
        {
            picks.Add((await grain.Route(new RouteRequest("edge-1", null))).BackendId);
        }

        Assert.Equal(["b2", "b9"], picks.Order());
    }

    [Fact]
    public async Task Seed_PathOwnedByAnotherPool_FailsAndNamesTheOwner()
    {
        var first = Pools.Define(StrategyNames.RoundRobin, 1);
        var second = Pools.Define(StrategyNames.RoundRobin, 1);
        await _grains.GetGrain<IPoolGrain>(first.Settings.Name).Seed(first);

        var clash = second with { Settings = second.Settings with { Path = first.Settings.Path } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _grains.GetGrain<IPoolGrain>(second.Settings.Name).Seed(clash).AsTask());

        Assert.Contains($"pool '{first.Settings.Name}' already has it", error.Message);
    }

    [Fact]
    public async Task Route_ThenRelease_CountsFollowCluster()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);

        var routes = new List<RouteResult>();
        for (var i = 0; i < 5; i++)
        {
            routes.Add(await grain.Route(new RouteRequest(i % 2 == 0 ? "edge-a" : "edge-b", null)));
        }

        Assert.All(routes, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        var backends = await _grains.Backends(pool.Settings.Name);
        Assert.Equal([3L, 2L], backends.Select(b => b.Connections));
        Assert.Equal([3L, 2L], backends.Select(b => b.TotalConnections));

        // The backend grains themselves received every reservation.
        await Eventually.Until(
            () => Task.WhenAll(new[] { "b1", "b2" }.Select(id => _grains.BackendView(pool.Settings.Name, id))),
            views => views.Select(v => v.Live).SequenceEqual([3L, 2L]),
            "the backend grains to count 3 and 2");

        // Edges report each close to the backend grain; the routing grain hears of it one-way.
        for (var i = 0; i < routes.Count; i++)
        {
            await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, routes[i].BackendId!)).ReleaseOneAsync(i % 2 == 0 ? "edge-a" : "edge-b");
        }

        await Eventually.Until(
            () => _grains.Backends(pool.Settings.Name),
            b => b.All(x => x.Connections == 0),
            "every backend back at 0 live connections");
        Assert.Equal([3L, 2L], (await _grains.Backends(pool.Settings.Name)).Select(b => b.TotalConnections));
    }

    [Fact]
    public async Task Route_ConcurrentBurstOf1000_LeastConnectionsSpreadsEvenly()
    {
        var pool = Pools.Define(StrategyNames.LeastConnections, 3);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => grain.Route(new RouteRequest($"edge-{i % 4}", null)).AsTask()));

        Assert.All(results, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        var perBackend = results.GroupBy(r => r.BackendId).Select(g => g.Count()).ToList();
        Assert.True(perBackend.Max() - perBackend.Min() <= 1, $"routes per backend: {string.Join(", ", perBackend)}");
        var counts = (await _grains.Backends(pool.Settings.Name)).Select(b => b.Connections).ToList();
        Assert.Equal(1000, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, $"live per backend: {string.Join(", ", counts)}");
        await Eventually.Until(
            () => Task.WhenAll(new[] { "b1", "b2", "b3" }.Select(id => _grains.BackendView(pool.Settings.Name, id))),
            views => views.Sum(v => v.Live) == 1000,
            "the backend grains to count all 1000 reservations");
    }

    [Fact]
    public async Task BackendGrainReactivated_CountsStayTrue()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 1);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        var backend = _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b1"));
        for (var i = 0; i < 10; i++)
        {
            await grain.Route(new RouteRequest("edge-1", null));
        }

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 10, "the backend grain to count 10");
        for (var i = 0; i < 10; i++)
        {
            await backend.ReleaseOneAsync("edge-1");
        }

        await Eventually.Until(() => _grains.Backends(pool.Settings.Name), b => b[0].Connections == 0, "0 live connections");
        await fixture.Cluster.DeactivateAsync(backend);

        await grain.Route(new RouteRequest("edge-1", null));
        await Eventually.Until(() => _grains.Backends(pool.Settings.Name), b => b[0].Connections == 1, "1 live connection after the backend grain came back");
        await backend.ReleaseOneAsync("edge-1");
        await Eventually.Until(() => _grains.Backends(pool.Settings.Name), b => b[0].Connections == 0, "0 live connections after its release");
    }

    [Fact]
    public async Task BackendRemovedWithOpenTunnels_ThenAddedBack_CountsStayTrue()
    {
        var pool = Pools.Define(StrategyNames.LeastConnections, 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        var routes = new List<RouteResult>();
        for (var i = 0; i < 4; i++)
        {
            routes.Add(await grain.Route(new RouteRequest("edge-1", null)));
        }

        await grain.Seed(pool.WithBackends(Pools.Backend("b2", 5002)));
        foreach (var route in routes.Where(r => r.BackendId == "b1"))
        {
            await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b1")).ReleaseOneAsync("edge-1");
        }

        await grain.Seed(pool);

        var backends = await Eventually.Until(
            () => _grains.Backends(pool.Settings.Name),
            b => b.Select(x => x.Connections).SequenceEqual([0L, 2L]),
            "b1 back with 0 live connections, b2 with its 2");
        Assert.Equal(["b1", "b2"], backends.Select(b => b.Id));
        Assert.Equal("b1", (await grain.Route(new RouteRequest("edge-1", null))).BackendId);
    }

    [Fact]
    public async Task Route_MaxConnectionsReached_RefusesAsFullUntilOneCloses()
    {
        var pool = Pools.Define(StrategyNames.LeastConnections, 2, maxConnections: 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        var admitted = new List<RouteResult>();
        for (var i = 0; i < 4; i++)
        {
            admitted.Add(await grain.Route(new RouteRequest("edge-1", null)));
        }

        Assert.All(admitted, r => Assert.Equal(RouteOutcome.Routed, r.Outcome));
        Assert.Equal(RouteOutcome.AllFull, (await grain.Route(new RouteRequest("edge-1", null))).Outcome);

        await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, admitted[0].BackendId!)).ReleaseOneAsync("edge-1");

        var next = await Eventually.Until(
            () => grain.Route(new RouteRequest("edge-1", null)).AsTask(),
            r => r.Outcome == RouteOutcome.Routed,
            "a route once a connection closed");
        Assert.Equal(admitted[0].BackendId, next.BackendId);
    }

    [Fact]
    public async Task Route_PoolWithoutBackends_SaysSo()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 0);
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);

        var result = await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Route(new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.NoBackends, result.Outcome);
    }

    [Fact]
    public async Task Route_UnknownPool_SaysSo()
    {
        var result = await _grains.GetGrain<IPoolGrain>("never-seeded").Route(new RouteRequest("edge-1", null));

        Assert.Equal(RouteOutcome.UnknownPool, result.Outcome);
    }

    [Fact]
    public async Task Registry_ListsSeededPoolRoutes_WithTheKeyEdgesMustSend()
    {
        var pool = Pools.Define(StrategyNames.Hash, 1);
        pool = pool with { Settings = pool.Settings with { HashKey = new RequestKey(RequestKeyKind.Query, "room") } };
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);

        var routes = await _grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes();

        var route = Assert.Single(routes, r => r.Name == pool.Settings.Name);
        Assert.Equal((pool.Settings.Path, new RequestKey(RequestKeyKind.Query, "room")), (route.Path, route.Key));
    }
}
