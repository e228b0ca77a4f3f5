using WsOrleans.Edges;

namespace WsOrleans.Tests.Grains;

/// <summary>An edge is listed while its heartbeats renew its lease, on the fixture's fake clock.</summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class EdgeLeaseTests(FakeTimeClusterFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Heartbeat_NotRenewed_EdgeLeavesTheRegistryWhenItsLeaseLapses()
    {
        var (lapsing, renewed) = (fixture.Grains.GetGrain<IEdgeGrain>("lapsing"), fixture.Grains.GetGrain<IEdgeGrain>("renewed"));
        await lapsing.Heartbeat(new EdgeHeartbeat("127.0.0.1:8081", Lease, []));
        await renewed.Heartbeat(new EdgeHeartbeat("127.0.0.1:8082", Lease, []));
        Assert.Equal(["lapsing", "renewed"], await ListedAsync());

        fixture.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        await renewed.Heartbeat(new EdgeHeartbeat("127.0.0.1:8082", Lease, []));
        Assert.Equal(["lapsing", "renewed"], await ListedAsync());

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["renewed"], await ListedAsync());
    }

    private async Task<string[]> ListedAsync() =>
        [.. (await fixture.Grains.GetGrain<IEdgeRegistryGrain>(0).GetEdges()).Select(e => e.Id).Where(id => id is "lapsing" or "renewed")];
}
