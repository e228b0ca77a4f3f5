using Orleans.TestingHost;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>Owns its cluster: it kills a silo.</summary>
public sealed class SiloFailureTests
{
    [Fact]
    public async Task Route_SiloHostingThePoolGrainKilled_KeepsAnsweringWithTheSameBackends()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var pool = Pools.Define(StrategyNames.LeastConnections, 3);
        var grain = cluster.Client.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        Assert.Equal(RouteOutcome.Routed, (await grain.Route(new RouteRequest("edge-1", null))).Outcome);

        // Kill the silo the routing grain lives on; if that is the primary (which the test cluster's
        // membership needs), move the grain to the other silo first.
        var victim = cluster.Silos[1];
        if (!victim.SiloAddress.Equals(SiloOf(cluster, grain)))
        {
            await cluster.MigrateAsync(grain, victim.SiloAddress).WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.Until(
                () => Task.FromResult(SiloOf(cluster, grain)),
                silo => victim.SiloAddress.Equals(silo),
                $"the routing grain on {victim.SiloAddress}");
        }

        await cluster.KillSiloAsync(victim);

        var resumed = await Eventually.Until(
            () => TryRoute(grain),
            r => r?.Outcome == RouteOutcome.Routed,
            "routing to resume on the surviving silo",
            TimeSpan.FromSeconds(60));

        var picks = new HashSet<string?> { resumed!.Value.BackendId };
        for (var i = 0; i < 30; i++)
        {
            var route = await grain.Route(new RouteRequest("edge-1", null));
            Assert.Equal(RouteOutcome.Routed, route.Outcome);
            picks.Add(route.BackendId);
        }

        Assert.Equal(["b1", "b2", "b3"], picks.Order());
        Assert.False(cluster.TryGetGrainContext(grain.GetGrainId(), out var moved) && victim.SiloAddress.Equals(moved.Address.SiloAddress));
    }

    private static SiloAddress? SiloOf(InProcessTestCluster cluster, IPoolGrain grain) =>
        cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;

    private static async Task<RouteResult?> TryRoute(IPoolGrain grain)
    {
        try
        {
            return await grain.Route(new RouteRequest("edge-1", null)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
