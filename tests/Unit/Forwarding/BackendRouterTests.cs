using Microsoft.AspNetCore.Http;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Forwarding;

/// <summary>
/// A routing call the edge gave up on may still reserve a connection: the edge opens nothing for it, and its next report
/// names the reservation as received with a count that leaves it out, so the cluster stops counting it (docs/accounting.md).
/// </summary>
public sealed class BackendRouterTests
{
    private readonly FakeCluster _cluster = new("WsOrleans:Edge:RouteTimeout=00:00:00.05", "WsOrleans:Edge:Id=edge-1");

    [Fact]
    public async Task RoutingCallAnsweredAfterTheTimeout_ItsReservationIsReportedAsReceivedAndNotCounted()
    {
        var late = _cluster.Hold();
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        var route = await _cluster.Router.RouteAsync(context, _cluster.Route, tried: null, preferred: null);

        Assert.Null(route);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);

        var reservation = new ReservationMark(Guid.NewGuid(), Sequence: 7);
        late.SetResult(new RouteResult(RouteOutcome.Routed, "b1", "ws://127.0.0.1:1/", PoolVersion: 1, reservation));

        var seen = await ReportedAsReceivedAsync("b1", reservation);
        Assert.Equal(7, seen.Highest);
        Assert.Equal("1 2 3 4 5 6", string.Join(' ', seen.Missing));
        var (live, released, _) = _cluster.Connections.Find(FakeCluster.Pool, "b1")!.Snapshot();
        Assert.Equal((0L, 0L), (live, released));
        Assert.Empty(_cluster.Releases);
    }

    [Fact]
    public async Task ClientLeftDuringTheRoutingCall_ItsLateReservationIsNotCountedEither()
    {
        var late = _cluster.Hold();
        using var left = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestAborted = left.Token, Response = { Body = new MemoryStream() } };

        var routing = _cluster.Router.RouteAsync(context, _cluster.Route, tried: null, preferred: null);
        await left.CancelAsync();

        Assert.Null(await routing);
        var reservation = new ReservationMark(Guid.NewGuid(), 1);
        late.SetResult(new RouteResult(RouteOutcome.Routed, "b2", "ws://127.0.0.1:1/", PoolVersion: 1, reservation));

        await ReportedAsReceivedAsync("b2", reservation);
        Assert.Equal(0, _cluster.Connections.Find(FakeCluster.Pool, "b2")!.Live);
        Assert.Empty(_cluster.Releases);
    }

    private Task<ReceivedReservations> ReportedAsReceivedAsync(string backendId, ReservationMark reservation) =>
        Eventually.UntilAsync(
            () => _cluster.Connections.Find(FakeCluster.Pool, backendId)?.Snapshot().Seen.SingleOrDefault(s => s.Covers(reservation)),
            $"the late reservation of {backendId} to be noted as received");
}
