using WsOrleans.Routing;
using WsOrleans.Tests.Unit.Forwarding;

namespace WsOrleans.Tests.Unit.Connections;

/// <summary>
/// An edge routing a pool alone holds its releases back and reuses the slots the cluster still counts for it; its
/// reports must not free those slots behind its back (docs/accounting.md).
/// </summary>
public sealed class HeldReleasesTests
{
    private readonly FakeCluster _cluster = new("WsOrleans:Edge:Id=edge-1");

    [Fact]
    public void ReleasesHeld_ReportsNoFewerThanTheClusterCounts_AndSendsNoRelease()
    {
        var connections = _cluster.Connections;
        var epoch = Guid.NewGuid();
        var backend = connections.Open(FakeCluster.Pool, "b1", new ReservationMark(epoch, 1));
        connections.Open(FakeCluster.Pool, "b1", new ReservationMark(epoch, 2));
        connections.Open(FakeCluster.Pool, "b1", new ReservationMark(epoch, 3));
        backend.Reported(3);

        connections.HoldReleases(FakeCluster.Pool);
        connections.Close(backend);
        connections.Close(backend);

        Assert.Equal(1, backend.Live);
        Assert.Equal(3, connections.CountToReport(backend, backend.Live));
        Assert.Empty(_cluster.Releases);
    }

    [Fact]
    public void ReleasesSentAgain_ReportsWhatIsOpen()
    {
        var connections = _cluster.Connections;
        var backend = connections.Open(FakeCluster.Pool, "b1", new ReservationMark(Guid.NewGuid(), 1));
        connections.Open(FakeCluster.Pool, "b1", reservation: null);
        backend.Reported(2);
        connections.HoldReleases(FakeCluster.Pool);
        connections.Close(backend);

        connections.SendReleases(FakeCluster.Pool);

        Assert.Equal(1, connections.CountToReport(backend, backend.Live));
    }
}
