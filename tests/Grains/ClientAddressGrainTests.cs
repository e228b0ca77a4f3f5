using WsOrleans.Admission;
using WsOrleans.Edges;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class ClientAddressGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Acquire_UpToTheLimitAcrossEdges_ThenRefused_UntilOneIsReleased()
    {
        await RegisterAsync("edge-1", "edge-2");
        var grain = _grains.GetGrain<IClientAddressGrain>(ClientAddressKey.Format("cap", "192.0.2.1"));

        Assert.True(await grain.Acquire("edge-1", 2));
        Assert.True(await grain.Acquire("edge-2", 2));
        Assert.False(await grain.Acquire("edge-1", 2));

        await grain.Release("edge-2");
        await Eventually.Until(() => grain.Count().AsTask(), c => c == 1, "the one-way release counted");

        Assert.True(await grain.Acquire("edge-1", 2));
        Assert.Equal(2, await grain.Count());
    }

    [Fact]
    public async Task Release_ByAnEdgeThatHoldsNothing_ChangesNothing()
    {
        await RegisterAsync("edge-1", "edge-2");
        var grain = _grains.GetGrain<IClientAddressGrain>(ClientAddressKey.Format("cap", "192.0.2.2"));
        Assert.True(await grain.Acquire("edge-1", 1));

        await grain.Release("edge-2");
        await grain.Release("edge-1");
        await grain.Release("edge-2");

        await Eventually.Until(() => grain.Count().AsTask(), c => c == 0, "only edge-1's release counted");
        Assert.True(await grain.Acquire("edge-2", 1));
        Assert.False(await grain.Acquire("edge-1", 1));
    }

    [Fact]
    public async Task Acquire_AtTheCap_ForgetsTheCountsOfAnEdgeWhoseLeaseLapsed()
    {
        // edge-gone counted two connections and then died: the registry no longer lists it.
        await RegisterAsync("edge-alive");
        var grain = _grains.GetGrain<IClientAddressGrain>(ClientAddressKey.Format("cap", "192.0.2.3"));
        Assert.True(await grain.Acquire("edge-gone", 2));
        Assert.True(await grain.Acquire("edge-gone", 2));

        Assert.True(await grain.Acquire("edge-alive", 2));
        Assert.Equal(1, await grain.Count());
        Assert.True(await grain.Acquire("edge-alive", 2));
        Assert.False(await grain.Acquire("edge-alive", 2));
    }

    [Fact]
    public async Task Seed_WithAdmission_PublishesItInThePoolsRoute()
    {
        var defined = Pools.Define(StrategyNames.RoundRobin, 1);
        var pool = defined with { Settings = defined.Settings with { Admission = new AdmissionSettings { AllowedOrigins = ["https://a.example"], MaxConnectionsPerAddress = 3 } } };

        await _grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool);

        var route = (await _grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes()).Single(r => r.Name == pool.Settings.Name);
        Assert.Equal(pool.Settings.Admission, route.Admission);
    }

    /// <summary>Edges that hold a lease, as a running edge's heartbeat makes them.</summary>
    private async Task RegisterAsync(params string[] edgeIds)
    {
        foreach (var id in edgeIds)
        {
            await _grains.GetGrain<IEdgeGrain>(id).Heartbeat(new EdgeHeartbeat("127.0.0.1:8080", TimeSpan.FromMinutes(5), []));
        }

        await Eventually.Until(
            () => _grains.GetGrain<IEdgeRegistryGrain>(0).GetEdges().AsTask(),
            edges => edgeIds.All(id => edges.Any(e => e.Id == id)),
            "the edges to be listed in the edge registry");
    }
}
