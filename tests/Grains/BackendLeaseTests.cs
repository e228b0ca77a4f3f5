using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Edges;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// A backend grain's count of one edge's connections ends at the edge's truth whatever order its
/// reservations, releases and reports arrive in, and is dropped when the edge's lease lapses
/// (docs/accounting.md). Leases and heartbeats run on the fixture's fake clock: tests advance it.
/// </summary>
[Collection(FakeTimeClusterCollection.Name)]
public sealed class BackendLeaseTests(FakeTimeClusterFixture fixture)
{
    private static int _next;
    private readonly IGrainFactory _grains = fixture.Grains;

    public static TheoryData<string> Orders => ["RRRLP", "PRRRL", "LPRRR", "RPLRR", "PLRRR", "RRPRL"];

    /// <summary>
    /// Three reservations (R), the edge's first release (L) and a report (P) made after the edge had
    /// received all three and sent the release: 2 live, in whichever order they arrive.
    /// </summary>
    [Theory]
    [MemberData(nameof(Orders))]
    public async Task ReservationsReleaseAndReport_AnyArrivalOrder_CountEachConnectionOnce(string order)
    {
        var backend = NewBackend();
        var epoch = Guid.NewGuid();
        var reservations = 0;
        await ArriveInOrderAsync(backend, order, epoch, () => backend.Reserve("edge-1", epoch, ++reservations).AsTask());

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 2, $"2 live connections after {order}");
    }

    public static TheoryData<string> AdmittedOrders => ["CLP", "CPL", "LCP", "LPC", "PCL", "PLC"];

    /// <summary>
    /// A router admitted five connections on its own and answered the edge before telling the backend grain (C, one
    /// message for all five): the edge received the first three, one of which has ended (L, its first release), and
    /// reported then (P), the answers of 4 and 5 still on their way. Four live, in whichever order they arrive.
    /// </summary>
    [Theory]
    [MemberData(nameof(AdmittedOrders))]
    public async Task AdmittedByARouter_ReleaseAndReport_AnyArrivalOrder_CountEachConnectionOnce(string order)
    {
        var backend = await NewMemberAsync();
        var epoch = Guid.NewGuid();
        await ArriveInOrderAsync(backend, order, epoch, () => backend.CountAdmitted([new AdmittedConnections("edge-1", epoch, 1, 5)]).AsTask());

        var view = await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 4, $"4 live connections after {order}");
        Assert.Equal(5, view.TotalConnections);
    }

    /// <summary>
    /// An edge process's first report here, and a release it sent just after, which overtook the report on its way
    /// (the report waited for the grain to be found): the release is the new process's own, and stays counted.
    /// </summary>
    [Fact]
    public async Task ReleaseThatOvertookTheEdgeProcesssFirstReport_StaysCounted()
    {
        var backend = await NewMemberAsync();
        var epoch = Guid.NewGuid();
        await backend.CountAdmitted([new AdmittedConnections("edge-1", epoch, 1, 3)]);

        await backend.ReleaseNumbered("edge-1", Instance, [1]);

        // The edge had received a fourth (its count here still on its way) when it reported: 4, less the release.
        await backend.Report(Report(sequence: 1, live: 4, released: 0, new ReservationMark(epoch, 4)));

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live >= 3, "the report (one-way) to arrive");
        Assert.Equal(3, (await backend.GetView()).Live);
        await backend.CountAdmitted([new AdmittedConnections("edge-1", epoch, 4, 1)]);
        Assert.Equal(3, (await backend.GetView()).Live);
    }

    [Fact]
    public async Task ReservationAfterReport_NotSeenByTheEdge_IsCountedOnTop()
    {
        var backend = NewBackend();
        var epoch = Guid.NewGuid();
        await backend.Report(Report(sequence: 1, live: 5, released: 0, new ReservationMark(epoch, 5)));
        await backend.Reserve("edge-1", epoch, 6);

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 6, "the report's 5 and the reservation it had not seen");

        // An older report arriving late changes nothing.
        await backend.Report(Report(sequence: 0, live: 1, released: 0));
        await backend.Report(Report(sequence: 2, live: 6, released: 0, new ReservationMark(epoch, 6)));
        Assert.Equal(6, (await backend.GetView()).Live);
    }

    /// <summary>
    /// The bed's split scenario found a capped backend at 44 of 40: answers to one edge come back through routers on
    /// two silos and overtake each other, and a report that covered every number up to the highest it had received
    /// took the ones still on their way for counted. A report names what it still misses, and those stay counted.
    /// </summary>
    [Fact]
    public async Task ReportMadeWhileAnEarlierAnswerWasStillOnItsWay_KeepsCountingIt()
    {
        var backend = await NewMemberAsync();
        ReservationMark[] marks = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => (await backend.TryReserve("edge-1", bound: false)).Reservation!.Value))];
        var epoch = marks[0].Epoch;
        Assert.Equal([1L, 2, 3, 4], marks.Select(m => m.Sequence).Order());

        // The answers of 1, 3 and 4 arrived, 2 is still on its way; one of the three has already ended: the edge holds 2.
        await backend.Report(Report(sequence: 1, live: 2, released: 1, [new ReceivedReservations(epoch, 4, [2])]));

        var view = await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live < 4, "the report (one-way) to arrive");
        Assert.Equal(3, view.Live);

        // The second answer arrives and another connection ends: the next report covers all four and counts 2 itself
        // (were the second reservation still counted on top, the count would stay 3).
        await backend.Report(Report(sequence: 2, live: 2, released: 2, [new ReceivedReservations(epoch, 4, [])]));
        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 2, "the edge's own 2 once its report covers every reservation");
    }

    /// <summary>
    /// A grain activated again counts the edges from their heartbeats to the edge registry until their reports arrive;
    /// during a split between silos an edge whose gateway for this grain is on the other side never reports to it, and
    /// stays counted so after the rebuild.
    /// </summary>
    [Fact]
    public async Task ActivatedAgain_AnEdgeThatNeverReportsHere_IsCountedFromItsHeartbeatToTheRegistry()
    {
        var backend = await NewMemberAsync();
        var key = BackendKey.Parse(backend.GetPrimaryKeyString());
        var silent = $"silent-edge-{Interlocked.Increment(ref _next)}";
        var now = fixture.Time.GetUtcNow();
        await _grains.GetGrain<IEdgeRegistryGrain>(0).Update(new EdgeStatus(silent, "", now, now + TimeSpan.FromMinutes(1), [new EdgeBackendCount(key.Pool, key.BackendId, 5)]));

        await fixture.Cluster.DeactivateAsync(backend);
        Assert.True((await backend.GetView()).Rebuilding);
        var admitted = await backend.TryReserve(silent, bound: false);
        Assert.NotNull(admitted.Reservation);

        // Counted from the registry at once (so least connections does not fill it on a count of zero), and still at the end of the rebuild.
        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Rebuilding && v.Live == 6, "the heartbeat's 5 and the admission, while rebuilding");
        fixture.Time.Advance(new CountRebuildOptions().RebuildTime);
        var view = await Eventually.Until(() => backend.GetView().AsTask(), v => !v.Rebuilding, "the rebuild to end");
        Assert.Equal(6, view.Live);

        // Its first report here is exact.
        await backend.Report(new EdgeReport(silent, Guid.NewGuid(), 1, TimeSpan.FromMinutes(1), 4, 0, [], Heartbeat));
        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 4 + 1, "the edge's own 4 and the admission its report had not seen");
    }

    [Fact]
    public async Task AdmissionsAreNumberedPerEdge()
    {
        var backend = await NewMemberAsync();
        var one = await backend.TryReserve("edge-1", bound: false);
        var other = await backend.TryReserve("edge-2", bound: false);
        var two = await backend.TryReserve("edge-1", bound: false);

        Assert.Equal((1L, 1L, 2L), (one.Reservation!.Value.Sequence, other.Reservation!.Value.Sequence, two.Reservation!.Value.Sequence));
        Assert.Equal(one.Reservation!.Value.Epoch, two.Reservation!.Value.Epoch);
    }

    [Fact]
    public async Task Report_CountLostWithTheGrain_IsRestored()
    {
        // A silo crash loses counts: the grain only hears of releases of connections it never counted.
        var backend = NewBackend();
        await backend.ReleaseNumbered("edge-1", Instance, [7]);
        await backend.ReleaseNumbered("edge-1", Instance, [8]);

        await backend.Report(Report(sequence: 1, live: 10, released: 8));

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 10, "the edge's 10 connections");
    }

    [Fact]
    public async Task Lease_NotRenewed_EdgeCountDropped_OtherEdgesKept()
    {
        var backend = NewBackend();
        await backend.Report(Report(sequence: 1, live: 4, released: 0));
        await backend.Report(new EdgeReport("edge-2", Guid.NewGuid(), 1, TimeSpan.FromMinutes(10), 3, 0, [], TimeSpan.FromSeconds(5)));
        // Reports are one-way: wait for both to be counted.
        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 7, "both edges' counts");

        // edge-1's lease is a minute, edge-2's ten: the lease timer fires as the clock moves.
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 3, "edge-1's 4 connections dropped when its lease lapsed, edge-2's 3 kept");
    }

    [Fact]
    public async Task ReservationWhoseAnswerNeverReachedTheEdge_IsDroppedByTheSecondReportAHeartbeatLater()
    {
        var backend = NewBackend();
        var epoch = Guid.NewGuid();
        await backend.Report(Report(sequence: 1, live: 5, released: 0, new ReservationMark(epoch, 5)));
        await backend.Reserve("edge-1", epoch, 6);
        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 6, "the reservation (one-way) to arrive");

        // Reports made within a heartbeat of it may have been made before the answer reached the edge: it stays counted.
        await backend.Report(Report(sequence: 2, live: 5, released: 0, new ReservationMark(epoch, 5)));
        await backend.Report(Report(sequence: 3, live: 5, released: 0, new ReservationMark(epoch, 5)));
        Assert.Equal(6, (await backend.GetView()).Live);

        fixture.Time.Advance(Heartbeat);
        await backend.Report(Report(sequence: 4, live: 5, released: 0, new ReservationMark(epoch, 5)));

        await Eventually.Until(() => backend.GetView().AsTask(), v => v.Live == 5, "the edge's own 5 once a report a heartbeat on still does not count the reservation");
    }

    private static readonly Guid Instance = Guid.NewGuid();

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends the messages of <paramref name="order"/> one after another: the edge's first release for L, its report of
    /// 2 live, 1 released and reservations up to 3 of <paramref name="epoch"/> received for P, and
    /// <paramref name="reserve"/> for any other letter.
    /// </summary>
    private static async Task ArriveInOrderAsync(IBackendGrain backend, string order, Guid epoch, Func<Task> reserve)
    {
        foreach (var message in order)
        {
            await (message switch
            {
                'L' => backend.ReleaseNumbered("edge-1", Instance, [1]).AsTask(),
                'P' => backend.Report(Report(sequence: 1, live: 2, released: 1, new ReservationMark(epoch, 3))).AsTask(),
                _ => reserve(),
            });
        }
    }

    private static EdgeReport Report(long sequence, long live, long released, params ReservationMark[] seen) =>
        Report(sequence, live, released, [.. seen.Select(s => new ReceivedReservations(s.Epoch, s.Sequence, []))]);

    private static EdgeReport Report(long sequence, long live, long released, ImmutableArray<ReceivedReservations> seen) =>
        new("edge-1", Instance, sequence, TimeSpan.FromMinutes(1), live, released, seen, Heartbeat);

    /// <summary>A backend grain configured as a pool's member, so it admits connections.</summary>
    private async Task<IBackendGrain> NewMemberAsync()
    {
        var backend = NewBackend();
        await backend.Configure(new BackendSettings { Id = "b", Address = "ws://127.0.0.1:1/" });
        return backend;
    }

    private IBackendGrain NewBackend() =>
        _grains.GetGrain<IBackendGrain>(BackendKey.Format($"leases-{Interlocked.Increment(ref _next)}", "b"));
}
