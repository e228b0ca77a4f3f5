using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>Passive reports and exclusions, on the routing and backend grains of a real (in-process) cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BackendHealthTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Route_WithExclusions_NeverPicksAnExcludedBackend_AndRefusesWhenAllAre()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 3);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("b3", (await grain.Route(new RouteRequest("edge-1", null, ["b1", "b2"]))).BackendId);
        }

        Assert.Equal(RouteOutcome.NoBackends, (await grain.Route(new RouteRequest("edge-1", null, ["b1", "b2", "b3"]))).Outcome);
    }

    [Fact]
    public async Task ReportFailure_UnhealthyThresholdTimes_EjectsTheBackend_UntilNoneIsLeft()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 2);
        var grain = _grains.GetGrain<IPoolGrain>(pool.Settings.Name);
        await grain.Seed(pool);
        var b1 = _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b1"));
        var b2 = _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b2"));

        await b1.ReportFailure("edge-1", "connection refused");
        await b1.ReportFailure("edge-2", "connection refused");

        await Eventually.Until(
            () => _grains.Backends(pool.Settings.Name),
            backends => backends[0].Health == BackendHealth.Unhealthy,
            "b1 unhealthy after two reported failures");
        var status = (await _grains.Backends(pool.Settings.Name))[0];
        Assert.Equal((2, false), (status.ConsecutiveFailures, status.LastCheck!.Passed));
        Assert.Matches("^edge edge-[12]: connection refused$", status.LastCheck.Detail);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("b2", (await grain.Route(new RouteRequest("edge-1", null))).BackendId);
        }

        await b2.ReportFailure("edge-1", "answered the handshake with 500");
        await b2.ReportFailure("edge-1", "answered the handshake with 500");
        await Eventually.Until(
            () => grain.Route(new RouteRequest("edge-1", null)).AsTask(),
            route => route.Outcome == RouteOutcome.AllUnhealthy,
            "the pool to refuse with AllUnhealthy");
    }

    [Fact]
    public async Task ReportSuccess_BetweenFailures_StartsTheCountAgain()
    {
        var pool = Pools.Define(StrategyNames.RoundRobin, 1);
        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);
        var b1 = _grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Settings.Name, "b1"));

        // One-way reports: each is waited for, as the order of two in flight is not guaranteed.
        await b1.ReportFailure("edge-1", "connection refused");
        await Eventually.Until(() => b1.GetView().AsTask(), v => v.ConsecutiveFailures == 1, "one failure counted");
        await b1.ReportSuccess("edge-1");
        await Eventually.Until(() => b1.GetView().AsTask(), v => v.LastCheck?.Passed == true, "the success counted");
        await b1.ReportFailure("edge-1", "connection refused");

        var view = await Eventually.Until(() => b1.GetView().AsTask(), v => v.LastCheck?.Passed == false, "the second failure counted");
        Assert.Equal((BackendHealth.Unknown, 1), (view.Health, view.ConsecutiveFailures));
    }
}
