using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>Run-time changes through the routing grain: what the admin API calls.</summary>
[Collection(AdminClusterCollection.Name)]
public sealed class PoolAdminTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task SetAdminState_Draining_ExcludesTheBackendFromRouting()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 3);

        var result = await grain.SetAdminState("b2", BackendAdminState.Draining);

        Assert.Equal(AdminOutcome.Changed, result.Outcome);
        Assert.Equal(BackendAdminState.Draining, result.Pool!.Backends.Single(b => b.Id == "b2").AdminState);
        var picks = await RouteAsync(grain, 12);
        Assert.Equal(["b1", "b3"], picks.Distinct().Order());
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task SetAdminState_ActiveAfterDraining_RestoresRouting()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        await grain.SetAdminState("b1", BackendAdminState.Draining);

        var result = await grain.SetAdminState("b1", BackendAdminState.Active);

        Assert.Equal(AdminOutcome.Changed, result.Outcome);
        var picks = await RouteAsync(grain, 4);
        Assert.Equal(["b1", "b2"], picks.Distinct().Order());
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task SetAdminState_SameStateAgain_IsUnchanged()
    {
        var (_, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        await grain.SetAdminState("b1", BackendAdminState.Draining);

        Assert.Equal(AdminOutcome.Unchanged, (await grain.SetAdminState("b1", BackendAdminState.Draining)).Outcome);
    }

    [Fact]
    public async Task SetAdminState_EveryBackendDraining_RefusesAsUnavailable()
    {
        var (_, grain) = await SeedAsync(StrategyNames.LeastConnections, 2);

        await grain.SetAdminState("b1", BackendAdminState.Draining);
        await grain.SetAdminState("b2", BackendAdminState.Draining);

        Assert.Equal(RouteOutcome.AllUnavailable, (await grain.Route(new RouteRequest("edge-1", null))).Outcome);
    }

    [Fact]
    public async Task SetAdminState_Draining_KeepsCountingOpenConnectionsUntilTheyClose()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 1);
        var picks = await RouteAsync(grain, 3);

        await grain.SetAdminState("b1", BackendAdminState.Draining);

        var draining = Assert.Single((await grain.GetStatus())!.Backends);
        Assert.Equal((BackendAdminState.Draining, 3L), (draining.AdminState, draining.Connections));
        await ReleaseAsync(pool, picks);
        await Eventually.Until(
            () => _grains.Backends(pool.Settings.Name),
            b => b[0].Connections == 0,
            "the draining backend's count to fall to 0");
    }

    [Fact]
    public async Task UpsertBackend_NewId_IsAddedAtTheEndAndRoutedTo()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        var before = (await grain.GetStatus())!.Version;

        var result = await grain.UpsertBackend(Pools.Backend("b9", 5009));

        Assert.Equal(AdminOutcome.Added, result.Outcome);
        Assert.Equal(["b1", "b2", "b9"], result.Pool!.Backends.Select(b => b.Id));
        Assert.Equal(before + 1, result.Pool.Version);
        var picks = await RouteAsync(grain, 6);
        Assert.Equal(["b1", "b2", "b9"], picks.Distinct().Order());
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task UpsertBackend_NewWeight_ChangesTheShareRoutingGives()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);

        var result = await grain.UpsertBackend(Pools.Backend("b1", 5001) with { Weight = 3 });

        Assert.Equal(AdminOutcome.Changed, result.Outcome);
        Assert.Equal(3, result.Pool!.Backends.Single(b => b.Id == "b1").Weight);
        var picks = await RouteAsync(grain, 8);
        Assert.Equal((6, 2), (picks.Count(p => p == "b1"), picks.Count(p => p == "b2")));
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task UpsertBackend_NewAddress_RoutesThere()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 1);

        await grain.UpsertBackend(Pools.Backend("b1", 6001));

        var route = await grain.Route(new RouteRequest("edge-1", null));
        Assert.Equal(("b1", "ws://127.0.0.1:6001"), (route.BackendId, route.Address));
        await ReleaseAsync(pool, [route.BackendId!]);
    }

    [Fact]
    public async Task UpsertBackend_SameSettings_IsUnchangedAndKeepsTheVersion()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        var before = (await grain.GetStatus())!.Version;

        var result = await grain.UpsertBackend(pool.Backends[0]);

        Assert.Equal((AdminOutcome.Unchanged, before), (result.Outcome, result.Pool!.Version));
    }

    [Fact]
    public async Task UpsertBackend_AddressOfAnotherBackend_IsRefusedAndChangesNothing()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        var before = await grain.GetStatus();

        var result = await grain.UpsertBackend(Pools.Backend("b9", 5001) with { Address = "WS://127.0.0.1:5001" });

        Assert.Equal(AdminOutcome.AddressInUse, result.Outcome);
        Assert.Equal(["b1", "b2"], result.Pool!.Backends.Select(b => b.Id));
        Assert.Equal(before!.Version, result.Pool.Version);
    }

    [Fact]
    public async Task RemoveBackend_WithLiveConnections_IsRefusedUnlessForced()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        var route = await grain.Route(new RouteRequest("edge-1", null));
        var busy = route.BackendId!;

        var refused = await grain.RemoveBackend(busy, force: false);

        Assert.Equal(AdminOutcome.HasConnections, refused.Outcome);
        Assert.Equal(1L, refused.Pool!.Backends.Single(b => b.Id == busy).Connections);

        var forced = await grain.RemoveBackend(busy, force: true);

        Assert.Equal(AdminOutcome.Removed, forced.Outcome);
        Assert.DoesNotContain(forced.Pool!.Backends, b => b.Id == busy);
        Assert.DoesNotContain(busy, await RouteAsync(grain, 4));

        // The retired backend grain still counts its open tunnel, until it closes.
        await Eventually.Until(() => _grains.BackendView(pool.Settings.Name, busy), v => v.Live == 1, $"{busy} still counting its open tunnel");
        await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, busy)).ReleaseOneAsync("edge-1");
        await Eventually.Until(() => _grains.BackendView(pool.Settings.Name, busy), v => v.Live == 0, $"{busy} at 0 once its tunnel closed");
    }

    [Fact]
    public async Task RemoveBackend_Idle_IsRemovedWithoutForce()
    {
        var (_, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        var before = (await grain.GetStatus())!.Version;

        var result = await grain.RemoveBackend("b1", force: false);

        Assert.Equal(AdminOutcome.Removed, result.Outcome);
        Assert.Equal(["b2"], result.Pool!.Backends.Select(b => b.Id));
        Assert.Equal(before + 1, result.Pool.Version);
        Assert.All(await RouteAsync(grain, 3), id => Assert.Equal("b2", id));
    }

    [Fact]
    public async Task RemoveBackend_DrainedThenAddedBack_StartsActive()
    {
        var (_, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        await grain.SetAdminState("b1", BackendAdminState.Draining);
        await grain.RemoveBackend("b1", force: false);

        var result = await grain.UpsertBackend(Pools.Backend("b1", 5001));

        Assert.Equal(AdminOutcome.Added, result.Outcome);
        Assert.Equal(BackendAdminState.Active, result.Pool!.Backends.Single(b => b.Id == "b1").AdminState);
    }

    [Fact]
    public async Task AdminCalls_UnknownPoolOrBackend_SaySoAndCreateNothing()
    {
        var unknown = _grains.GetGrain<IPoolGrain>("never-seeded-admin");
        Assert.Equal(AdminOutcome.UnknownPool, (await unknown.UpsertBackend(Pools.Backend("b1", 5001))).Outcome);
        Assert.Equal(AdminOutcome.UnknownPool, (await unknown.RemoveBackend("b1", force: true)).Outcome);
        Assert.Equal(AdminOutcome.UnknownPool, (await unknown.SetAdminState("b1", BackendAdminState.Draining)).Outcome);
        Assert.Equal(AdminOutcome.UnknownPool, (await unknown.SetStrategy(new StrategySettings { Strategy = StrategyNames.RoundRobin })).Outcome);
        Assert.Null(await unknown.GetStatus());

        var (_, grain) = await SeedAsync(StrategyNames.RoundRobin, 1);
        Assert.Equal(AdminOutcome.UnknownBackend, (await grain.RemoveBackend("nope", force: true)).Outcome);
        Assert.Equal(AdminOutcome.UnknownBackend, (await grain.SetAdminState("nope", BackendAdminState.Draining)).Outcome);
    }

    [Fact]
    public async Task SetStrategy_Hash_TakesEffectAndPublishesTheNewKey()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 3);
        var room = new RequestKey(RequestKeyKind.Query, "room");

        var result = await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.Hash, HashKey = room });

        Assert.Equal(AdminOutcome.Changed, result.Outcome);
        Assert.Equal((StrategyNames.Hash, room), (result.Pool!.Settings.Strategy, result.Pool.Settings.HashKey));
        var route = Assert.Single(await _grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes(), r => r.Name == pool.Settings.Name);
        Assert.Equal((room, result.Pool.Version), (route.Key, route.Version));

        // Round robin would have spread these; the hash keeps one room on one backend.
        var picks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var routed = await grain.Route(new RouteRequest("edge-1", "lobby"));
            Assert.Equal(result.Pool.Version, routed.PoolVersion);
            picks.Add(routed.BackendId!);
        }

        Assert.Single(picks.Distinct());
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task SetStrategy_Sticky_BindsKeys()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 3);
        var affinity = new AffinitySettings { Key = new RequestKey(RequestKeyKind.Cookie, "s"), Ttl = TimeSpan.FromMinutes(5) };

        var result = await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.Sticky, Affinity = affinity });

        Assert.Equal((StrategyNames.Sticky, affinity), (result.Pool!.Settings.Strategy, result.Pool.Settings.Affinity));
        var picks = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            picks.Add((await grain.Route(new RouteRequest("edge-1", "session-1"))).BackendId!);
        }

        Assert.Single(picks.Distinct());
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task SetStrategy_SameAgain_IsUnchangedAndKeepsTheVersion()
    {
        var (_, grain) = await SeedAsync(StrategyNames.RoundRobin, 1);
        var before = (await grain.GetStatus())!.Version;

        var result = await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.RoundRobin });

        Assert.Equal((AdminOutcome.Unchanged, before), (result.Outcome, result.Pool!.Version));
    }

    [Fact]
    public async Task SetStrategy_HashWithoutKey_ThrowsAndChangesNothing()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 1);

        await Assert.ThrowsAsync<ArgumentException>(() => grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.Hash }).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => grain.SetStrategy(new StrategySettings { Strategy = "roundrobin" }).AsTask());

        Assert.Equal(pool.Settings, (await grain.GetStatus())!.Settings);
    }

    [Fact]
    public async Task AdminChanges_SurviveDeactivationOfEveryGrain()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 3);
        await grain.SetAdminState("b2", BackendAdminState.Draining);
        await grain.UpsertBackend(Pools.Backend("b1", 5001) with { Weight = 7 });
        await grain.UpsertBackend(Pools.Backend("b9", 5009, maxConnections: 4));
        await grain.RemoveBackend("b3", force: false);
        await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.Hash, HashKey = new RequestKey(RequestKeyKind.Path) });
        var before = (await grain.GetStatus())!;

        await fixture.Cluster.DeactivateAsync(grain);
        foreach (var id in new[] { "b1", "b2", "b9" })
        {
            await fixture.Cluster.DeactivateAsync(_grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, id)));
        }

        var after = (await grain.GetStatus())!;
        Assert.Equal((before.Settings, before.Version), (after.Settings, after.Version));

        // The backend grains were activated again: their counts are being rebuilt (and say so); the rest is as it was.
        Assert.All(after.Backends, b => Assert.True(b.CountsRebuilding, $"{b.Id}'s counts are being rebuilt"));
        Assert.Equal<BackendStatus>(before.Backends, after.Backends.Select(b => b with { CountsRebuilding = false }));
        Assert.Equal(
            [("b1", 7, BackendAdminState.Active), ("b2", 1, BackendAdminState.Draining), ("b9", 1, BackendAdminState.Active)],
            after.Backends.Select(b => (b.Id, b.Weight, b.AdminState)));
        Assert.Equal(4, after.Backends.Single(b => b.Id == "b9").MaxConnections);
        Assert.DoesNotContain("b2", await RouteAsync(grain, 4, key: "/x"));
    }

    [Fact]
    public async Task Seed_SameDefinitionAfterAdminChanges_KeepsThem()
    {
        var (pool, grain) = await SeedAsync(StrategyNames.RoundRobin, 2);
        await grain.SetAdminState("b1", BackendAdminState.Draining);
        await grain.UpsertBackend(Pools.Backend("b9", 5009));
        await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.LeastConnections });
        var before = (await grain.GetStatus())!;

        await grain.Seed(pool);

        var after = (await grain.GetStatus())!;
        Assert.Equal((before.Settings, before.Version), (after.Settings, after.Version));
        Assert.Equal<BackendStatus>(before.Backends, after.Backends);
    }

    private async Task<(PoolDefinition Pool, IPoolGrain Grain)> SeedAsync(string strategy, int backends)
    {
        var pool = Pools.Define(strategy, backends);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        return (pool, grain);
    }

    private static async Task<List<string>> RouteAsync(IPoolGrain grain, int count, string? key = null)
    {
        var picks = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var route = await grain.Route(new RouteRequest("edge-1", key));
            Assert.Equal(RouteOutcome.Routed, route.Outcome);
            picks.Add(route.BackendId!);
        }

        return picks;
    }

    /// <summary>Closes the connections <see cref="RouteAsync"/> opened, as an edge would.</summary>
    private async Task ReleaseAsync(PoolDefinition pool, IEnumerable<string> picks)
    {
        foreach (var id in picks)
        {
            await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, id)).ReleaseOneAsync("edge-1");
        }
    }
}
