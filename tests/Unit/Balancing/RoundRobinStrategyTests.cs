using WsOrleans.Balancing;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class RoundRobinStrategyTests
{
    [Fact]
    public void RoundRobin_Weights511_FollowsSmoothSequence()
    {
        var strategy = new RoundRobinStrategy();
        var candidates = Backends.Weighted(("a", 5), ("b", 1), ("c", 1));

        var sequence = Backends.Sequence(strategy, candidates, 14);

        Assert.Equal("a a b a c a a a a b a c a a", sequence);
    }

    [Fact]
    public void RoundRobin_EqualWeights_RotatesInListOrder()
    {
        var strategy = new RoundRobinStrategy();
        var candidates = Backends.Named("a", "b", "c");

        Assert.Equal("a b c a b c a b c", Backends.Sequence(strategy, candidates, 9));
    }

    [Fact]
    public void RoundRobin_CandidateLeavesAtCycleEnd_OthersAlternateAndItRejoinsInPlace()
    {
        var strategy = new RoundRobinStrategy();
        var all = Backends.Named("a", "b", "c");
        var withoutB = new[] { all[0], all[2] };

        Assert.Equal("a b c", Backends.Sequence(strategy, all, 3));
        Assert.Equal("a c a c", Backends.Sequence(strategy, withoutB, 4));
        Assert.Equal("a b c a b c", Backends.Sequence(strategy, all, 6));
    }

    [Fact]
    public void RoundRobin_CandidateLeavesMidCycle_NextInOrderIsServedAndSharesStayEqual()
    {
        var strategy = new RoundRobinStrategy();
        var all = Backends.Named("a", "b", "c");
        var withoutB = new[] { all[0], all[2] };

        Assert.Equal("a", Backends.Sequence(strategy, all, 1));

        // b's turn is skipped, not restarted from a; c, owed a turn since the cycle began,
        // takes it and then a and c alternate (nginx keeps each backend's credit).
        Assert.Equal("c c a c a c", Backends.Sequence(strategy, withoutB, 6));
        var next = Backends.Sequence(strategy, withoutB, 100).Split(' ');
        Assert.Equal(50, next.Count(id => id == "a"));
        Assert.Equal(50, next.Count(id => id == "c"));
    }

    [Fact]
    public void RoundRobin_WeightsSum_GivesExactSharesPerCycle()
    {
        var strategy = new RoundRobinStrategy();
        var candidates = Backends.Weighted(("a", 3), ("b", 2), ("c", 1));

        var picks = Backends.Sequence(strategy, candidates, 600).Split(' ');

        Assert.Equal(300, picks.Count(id => id == "a"));
        Assert.Equal(200, picks.Count(id => id == "b"));
        Assert.Equal(100, picks.Count(id => id == "c"));
    }

    [Fact]
    public void RoundRobin_IdGoneForLong_IsForgotten()
    {
        var strategy = new RoundRobinStrategy();
        var all = Backends.Named("a", "b", "c");
        strategy.Pick(null, all);
        Assert.Equal(3, strategy.TrackedCount);

        Backends.Sequence(strategy, new[] { all[0], all[1] }, 10_000);

        Assert.Equal(2, strategy.TrackedCount);
    }

    [Fact]
    public void RoundRobin_Name_IsRoundRobin()
    {
        Assert.Equal(StrategyNames.RoundRobin, new RoundRobinStrategy().Name);
    }

    [Fact]
    public void RoundRobin_SteadyState_AllocatesNothing()
    {
        var strategy = new RoundRobinStrategy();
        var candidates = Backends.Weighted(("a", 5), ("b", 1), ("c", 1));

        var allocated = Backends.AllocatedBy(() => strategy.Pick(null, candidates));

        Assert.Equal(0, allocated);
    }
}
