using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// The routing grain's side of cookie affinity: the backend an edge found in a valid cookie is chosen
/// while it can take the connection, and the strategy picks otherwise; each pool's signing key is made
/// once and handed to the edges with the pool's route.
/// </summary>
[Collection(AdminClusterCollection.Name)]
public sealed class CookieAffinityRoutingTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Route_PreferredBackendThatCanTakeIt_IsChosenOverLeastConnections()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.LeastConnections, 3));

        var picks = await RouteAsync(grain, 6, preferred: "b3");

        Assert.All(picks, p => Assert.Equal("b3", p));
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task Route_PreferredBackendThatIsUnknown_OrExcluded_IsBalancedByTheStrategy()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 2));

        var unknown = await grain.Route(new RouteRequest("edge-1", null, Preferred: "removed-long-ago"));
        var excluded = await grain.Route(new RouteRequest("edge-1", null, ["b1"], Preferred: "b1"));

        Assert.Equal(RouteOutcome.Routed, unknown.Outcome);
        Assert.Equal("b2", excluded.BackendId);
        await ReleaseAsync(pool, [unknown.BackendId!, excluded.BackendId!]);
    }

    [Fact]
    public async Task Route_PreferredBackendDraining_KeepsItsSessions_ButNewOnesGoElsewhere()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 3));
        await grain.SetAdminState("b2", BackendAdminState.Draining);

        var bound = await RouteAsync(grain, 3, preferred: "b2");
        var fresh = await RouteAsync(grain, 6, preferred: null);

        Assert.All(bound, p => Assert.Equal("b2", p));
        Assert.DoesNotContain("b2", fresh);
        await ReleaseAsync(pool, [.. bound, .. fresh]);
    }

    [Fact]
    public async Task Route_PreferredBackendDrainingWithADeadline_IsBalancedElsewhere()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 3));
        await grain.DrainWithin("b2", TimeSpan.FromMinutes(10));

        var picks = await RouteAsync(grain, 6, preferred: "b2");

        Assert.DoesNotContain("b2", picks);
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task Route_PreferredBackendFull_IsBalancedElsewhere()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 2, maxConnections: 1));

        var first = await RouteAsync(grain, 1, preferred: "b1");
        var second = await RouteAsync(grain, 1, preferred: "b1");

        Assert.Equal(["b1", "b2"], [.. first, .. second]);
        await ReleaseAsync(pool, [.. first, .. second]);
    }

    [Fact]
    public async Task Route_PreferredBackendUnhealthy_IsBalancedElsewhere()
    {
        var (pool, grain) = await SeedAsync(Pools.Define(StrategyNames.RoundRobin, 2));
        var b1 = _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b1"));
        await b1.ReportFailure("edge-1", "connection refused");
        await b1.ReportFailure("edge-2", "connection refused");
        await Eventually.Until(
            async () => (await _grains.Backends(pool.Settings.Name)).Single(b => b.Id == "b1").Health,
            health => health == BackendHealth.Unhealthy,
            "b1 to be unhealthy after two failure reports");

        var picks = await RouteAsync(grain, 4, preferred: "b1");

        Assert.All(picks, p => Assert.Equal("b2", p));
        await ReleaseAsync(pool, picks);
    }

    [Fact]
    public async Task Seed_WithAnAffinityCookie_PublishesItsNameTtlAndASigningKey_ThatStaysTheSame()
    {
        var defined = Pools.Define(StrategyNames.LeastConnections, 2);
        var pool = defined with { Settings = defined.Settings with { Affinity = new AffinitySettings { Cookie = "srv", Ttl = TimeSpan.FromMinutes(30) } } };
        var (_, grain) = await SeedAsync(pool);

        var first = (await RouteOf(pool)).AffinityCookie;
        await grain.SetStrategy(new StrategySettings { Strategy = StrategyNames.RoundRobin, Affinity = pool.Settings.Affinity });
        var second = (await RouteOf(pool)).AffinityCookie;

        Assert.NotNull(first);
        Assert.Equal(("srv", TimeSpan.FromMinutes(30)), (first.Name, first.Ttl));
        Assert.Equal(32, Convert.FromBase64String(first.SigningKey).Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Seed_TwoPools_GetDifferentSigningKeys_AndAPoolWithoutACookieNone()
    {
        var affinity = new AffinitySettings { Cookie = "srv" };
        var one = Pools.Define(StrategyNames.RoundRobin, 1);
        var two = Pools.Define(StrategyNames.RoundRobin, 1);
        var plain = Pools.Define(StrategyNames.RoundRobin, 1);
        await SeedAsync(one with { Settings = one.Settings with { Affinity = affinity } });
        await SeedAsync(two with { Settings = two.Settings with { Affinity = affinity } });
        await SeedAsync(plain);

        Assert.NotEqual((await RouteOf(one)).AffinityCookie!.SigningKey, (await RouteOf(two)).AffinityCookie!.SigningKey);
        Assert.Null((await RouteOf(plain)).AffinityCookie);
    }

    private async Task<PoolRoute> RouteOf(PoolDefinition pool) =>
        Assert.Single(await _grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes(), r => r.Name == pool.Settings.Name);

    private async Task<(PoolDefinition Pool, IPoolGrain Grain)> SeedAsync(PoolDefinition pool)
    {
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        return (pool, grain);
    }

    private static async Task<List<string>> RouteAsync(IPoolGrain grain, int count, string? preferred)
    {
        var picks = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var route = await grain.Route(new RouteRequest("edge-1", null, Preferred: preferred));
            Assert.Equal(RouteOutcome.Routed, route.Outcome);
            picks.Add(route.BackendId!);
        }

        return picks;
    }

    private async Task ReleaseAsync(PoolDefinition pool, IEnumerable<string> picks)
    {
        foreach (var id in picks)
        {
            await _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, id)).ReleaseOneAsync("edge-1");
        }
    }
}
