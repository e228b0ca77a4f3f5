using WsOrleans.Balancing;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class LeastConnectionsStrategyTests
{
    [Fact]
    public void LeastConnections_DifferentLive_PicksFewest()
    {
        var candidates = Backends.Named("a", "b", "c");
        candidates[0].Live = 3;
        candidates[1].Live = 1;
        candidates[2].Live = 2;

        Assert.Equal("b", new LeastConnectionsStrategy().Pick(null, candidates).Id);
    }

    [Fact]
    public void LeastConnections_Weighted_PicksLowestLivePerWeight()
    {
        // b: 3 per unit of weight; a: 4 / 2 = 2 per unit. b comes first so list order cannot explain the pick.
        var candidates = Backends.Weighted(("b", 1), ("a", 2));
        candidates[0].Live = 3;
        candidates[1].Live = 4;

        Assert.Equal("a", new LeastConnectionsStrategy().Pick(null, candidates).Id);
    }

    [Fact]
    public void LeastConnections_EqualRatioDifferentWeights_CountsAsTie()
    {
        var strategy = new LeastConnectionsStrategy();
        var candidates = Backends.Weighted(("a", 1), ("b", 3));
        candidates[0].Live = 2;
        candidates[1].Live = 6;

        Assert.Equal("a b a b", Backends.Sequence(strategy, candidates, 4));
    }

    [Fact]
    public void LeastConnections_AllIdle_RotatesAcrossTies()
    {
        var strategy = new LeastConnectionsStrategy();
        var candidates = Backends.Named("a", "b", "c");

        Assert.Equal("a b c a b c", Backends.Sequence(strategy, candidates, 6));
    }

    [Fact]
    public void LeastConnections_TiesAmongSome_RotatesAmongTheTiedOnly()
    {
        var strategy = new LeastConnectionsStrategy();
        var candidates = Backends.Named("a", "b", "c");
        candidates[1].Live = 5;

        Assert.Equal("a c a c", Backends.Sequence(strategy, candidates, 4));
    }

    [Fact]
    public void LeastConnections_HugeLiveAndWeight_ComparesWithoutOverflow()
    {
        var candidates = Backends.Weighted(("b", int.MaxValue - 2), ("a", int.MaxValue - 1));
        candidates[0].Live = long.MaxValue;
        candidates[1].Live = long.MaxValue;

        // a has the larger weight, so the smaller ratio; 64-bit products would wrap (to a negative
        // number for a's even weight) and keep b.
        Assert.Equal("a", new LeastConnectionsStrategy().Pick(null, candidates).Id);
    }

    [Fact]
    public void LeastConnections_ThousandPicksCountedAsLive_SpreadWithinOne()
    {
        var strategy = new LeastConnectionsStrategy();
        var candidates = Backends.Named("a", "b", "c");

        for (var i = 0; i < 1000; i++)
        {
            strategy.Pick(null, candidates).Live++;
        }

        var live = candidates.Select(c => c.Live).ToArray();
        Assert.True(live.Max() - live.Min() <= 1, $"Expected a spread of at most 1, saw {string.Join(", ", live)}.");
        Assert.Equal(1000, live.Sum());
    }

    [Fact]
    public void LeastConnections_ThousandPicksWithWeights121_ProportionalToWeight()
    {
        var strategy = new LeastConnectionsStrategy();
        var candidates = Backends.Weighted(("a", 1), ("b", 2), ("c", 1));

        for (var i = 0; i < 1000; i++)
        {
            strategy.Pick(null, candidates).Live++;
        }

        Assert.InRange(candidates[0].Live, 249, 251);
        Assert.InRange(candidates[1].Live, 499, 501);
        Assert.InRange(candidates[2].Live, 249, 251);
    }

    [Fact]
    public void LeastConnections_CandidateListShrinks_StillPicksAValidCandidate()
    {
        var strategy = new LeastConnectionsStrategy();
        var three = Backends.Named("a", "b", "c");
        Backends.Sequence(strategy, three, 2);

        Assert.Equal("a a", Backends.Sequence(strategy, new[] { three[0] }, 2));
    }

    [Fact]
    public void LeastConnections_Name_IsLeastConnections()
    {
        Assert.Equal(StrategyNames.LeastConnections, new LeastConnectionsStrategy().Name);
    }

    [Fact]
    public void LeastConnections_Pick_AllocatesNothing()
    {
        var strategy = new LeastConnectionsStrategy();
        IReadOnlyList<BackendEntry> candidates = Backends.Named("a", "b", "c", "d");

        var allocated = Backends.AllocatedBy(() => strategy.Pick(null, candidates).Live++);

        Assert.Equal(0, allocated);
    }
}
