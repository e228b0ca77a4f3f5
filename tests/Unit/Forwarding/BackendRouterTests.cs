using Microsoft.AspNetCore.Http;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Forwarding;

/// <summary>A routing call the edge gave up on may still reserve a connection: the edge must release it, or the cluster counts it forever.</summary>
public sealed class BackendRouterTests
{
    private readonly FakeCluster _cluster = new("WsOrleans:Edge:RouteTimeout=00:00:00.05", "WsOrleans:Edge:Id=edge-1");

    [Fact]
    public async Task RoutingCallAnsweredAfterTheTimeout_ItsReservationIsReleased()
    {
        var late = _cluster.Hold();
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        var route = await _cluster.Router.RouteAsync(context, _cluster.Route, tried: null, preferred: null);

        Assert.Null(route);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);

        var reservation = new ReservationMark(Guid.NewGuid(), Sequence: 7);
        late.SetResult(new RouteResult(RouteOutcome.Routed, "b1", "ws://127.0.0.1:1/", PoolVersion: 1, reservation));

        var release = await Eventually.DequeueAsync(_cluster.Releases);
        Assert.Equal(("chat/b1", "edge-1", 1L), release);
        var (live, released, seen) = _cluster.Connections.Find(FakeCluster.Pool, "b1")!.Snapshot();
        Assert.Equal((0L, 1L), (live, released));
        Assert.Equal(reservation, Assert.Single(seen));
    }

    [Fact]
    public async Task ClientLeftDuringTheRoutingCall_ItsLateReservationIsReleasedToo()
    {
        var late = _cluster.Hold();
        using var left = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestAborted = left.Token, Response = { Body = new MemoryStream() } };

        var routing = _cluster.Router.RouteAsync(context, _cluster.Route, tried: null, preferred: null);
        await left.CancelAsync();

        Assert.Null(await routing);
        late.SetResult(new RouteResult(RouteOutcome.Routed, "b2", "ws://127.0.0.1:1/", PoolVersion: 1, new ReservationMark(Guid.NewGuid(), 1)));
        Assert.Equal(("chat/b2", "edge-1", 1L), await Eventually.DequeueAsync(_cluster.Releases));
    }
}
