using WsOrleans.Edge.Connections;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Connections;

/// <summary>An edge's report says exactly which reservations it has received, whatever order their answers came in.</summary>
public sealed class ReservationsReceivedTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    [Fact]
    public void AnswersOvertakingEachOther_TheOnesStillOnTheirWayAreNotCovered()
    {
        var received = new ReservationsReceived(Epoch);
        received.Receive(1);
        received.Receive(4);

        var report = received.ToReport();
        Assert.Equal([true, false, false, true, false], [.. Enumerable.Range(1, 5).Select(n => report.Covers(new ReservationMark(Epoch, n)))]);

        received.Receive(3);
        received.Receive(2);
        Assert.Empty(received.ToReport().Missing);
        Assert.Equal(4, received.ToReport().Highest);
    }

    [Fact]
    public void AnotherNumbering_IsNeverCovered()
    {
        var received = new ReservationsReceived(Epoch);
        received.Receive(3);

        Assert.False(received.ToReport().Covers(new ReservationMark(Guid.NewGuid(), 1)));
    }

    [Fact]
    public void MissingNumbers_AreBoundedKeepingTheNewest()
    {
        // The first number a restarted edge process sees may be high (its predecessor under the same id had the ones
        // before); and answers lost in a partition never arrive: the report names at most the newest MaxMissing.
        var received = new ReservationsReceived(Epoch);
        received.Receive(10_000);
        received.Receive(10_003);

        var missing = received.ToReport().Missing;
        Assert.Equal(ReservationsReceived.MaxMissing, missing.Length);
        Assert.Equal("10001 10002", string.Join(' ', missing[^2..]));
        Assert.DoesNotContain(10_000, missing);
        Assert.Equal(10_000 - ReservationsReceived.MaxMissing + 2, missing[0]);
    }

    [Fact]
    public void ForgoneReservation_IsReceivedButNotCounted()
    {
        var connections = new BackendConnections("chat", "b1", grain: null!, new Coalescer<long>(_ => { }, TimeSpan.Zero, TimeProvider.System));
        connections.Increment(new ReservationMark(Epoch, 2));
        connections.Forgo(new ReservationMark(Epoch, 3));

        var (live, _, seen) = connections.Snapshot();
        Assert.Equal(1, live);
        var report = Assert.Single(seen);
        Assert.Equal((3L, 1L), (report.Highest, Assert.Single(report.Missing)));
    }

    /// <summary>
    /// An edge reports the numberings it received from most recently: one more than it remembers drops the one that
    /// received nothing for longest, not the oldest to begin (that one is still in use).
    /// </summary>
    [Fact]
    public void OneNumberingMoreThanRemembered_TheLeastRecentlyReceivedIsDropped()
    {
        var connections = new BackendConnections("chat", "b1", grain: null!, new Coalescer<long>(_ => { }, TimeSpan.Zero, TimeProvider.System));
        var epochs = Enumerable.Range(0, BackendConnections.RememberedEpochs + 1).Select(_ => Guid.NewGuid()).ToList();
        foreach (var epoch in epochs.SkipLast(1))
        {
            connections.Increment(new ReservationMark(epoch, 1));
        }

        connections.Increment(new ReservationMark(epochs[0], 2));
        connections.Increment(new ReservationMark(epochs[^1], 1));

        var (_, _, seen) = connections.Snapshot();
        Assert.Equal(BackendConnections.RememberedEpochs, seen.Length);
        Assert.DoesNotContain(seen, s => s.Epoch == epochs[1]);
        Assert.Equal(2, seen.Single(s => s.Epoch == epochs[0]).Highest);
    }
}
