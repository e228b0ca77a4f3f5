using WsOrleans.Backends;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Routing;

/// <summary>
/// What a router admits on its own at an uncapped backend: numbered per edge, counted by the router until the backend
/// grain's answer counts them, and sent as one range per edge.
/// </summary>
public sealed class RouterMemberTests
{
    [Fact]
    public void Admitted_NumberedPerEdge_SentAsOneRangePerEdge_CountedUntilTheAnswer()
    {
        var member = new RouterMember(View(live: 7, version: 1), grain: null!);
        Assert.True(member.AdmitsAlone);

        var marks = new[] { member.Admit("edge-1"), member.Admit("edge-2"), member.Admit("edge-1") };
        Assert.Equal([1L, 1, 2], marks.Select(m => m.Sequence));
        Assert.Single(marks.Select(m => m.Epoch).Distinct());
        Assert.Equal(10, member.Entry.Live);

        var sent = member.TakeUnsent();
        Assert.True(member.Sending);
        Assert.Equal(
            [new AdmittedConnections("edge-1", marks[0].Epoch, 1, 2), new AdmittedConnections("edge-2", marks[0].Epoch, 1, 1)],
            sent.OrderBy(a => a.EdgeId, StringComparer.Ordinal));

        // Admitted while the first send is under way: counted, and the next send's range goes on from there.
        Assert.Equal(3, member.Admit("edge-1").Sequence);
        Assert.Equal(11, member.Entry.Live);

        member.Sent(View(live: 10, version: 2));
        Assert.Equal(11, member.Entry.Live);
        Assert.Equal([new AdmittedConnections("edge-1", marks[0].Epoch, 3, 1)], member.TakeUnsent().ToArray());

        // A send that failed: the view no longer counts them here; the edges' reports will.
        member.Sent(null);
        Assert.Equal(10, member.Entry.Live);
        Assert.True(member.TakeUnsent().IsEmpty);
        Assert.False(member.Sending);
    }

    /// <summary>
    /// The backend grain's answer has every decider's admissions there, the pool's view of the other backends only some:
    /// taken as this backend's view it would look fuller than the rest to every decider at once. So the view stays the
    /// pool's, and what this router sent is counted on top until the pool's view has it.
    /// </summary>
    [Fact]
    public void CountAnswered_CountedOnTopOfThePoolsView_UntilThePoolsViewHasIt()
    {
        var member = new RouterMember(View(live: 7, version: 1), grain: null!);
        for (var i = 0; i < 3; i++)
        {
            member.Admit("edge-1");
        }

        member.TakeUnsent();
        member.Sent(View(live: 20, version: 5));
        Assert.Equal(10, member.Entry.Live);
        Assert.Equal(1, member.View.Version);

        member.Apply(View(live: 9, version: 4));
        Assert.Equal(12, member.Entry.Live);

        member.Apply(View(live: 20, version: 5));
        Assert.Equal(20, member.Entry.Live);
    }

    [Fact]
    public void Capped_AsksTheBackendGrain()
    {
        var member = new RouterMember(View(live: 0, version: 1, maxConnections: 5), grain: null!);

        Assert.False(member.AdmitsAlone);
    }

    private static BackendView View(long live, long version, int maxConnections = 0) =>
        new(new BackendSettings { Id = "b1", Address = "ws://127.0.0.1:1/", MaxConnections = maxConnections }, BackendHealth.Healthy, BackendAdminState.Active, live, live, Guid.Empty, 0, 1, version);
}
