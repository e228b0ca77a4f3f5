using WsOrleans.Rebalancing;

namespace WsOrleans.Tests.Unit.Rebalancing;

public sealed class RebalancePlannerTests
{
    [Fact]
    public void Shares_AfterScaleOut_ThreeFullBackendsShedToTheFourthsShare()
    {
        var shares = RebalancePlanner.Shares([Backend("a", 200), Backend("b", 200), Backend("c", 200), Backend("d", 0)]);

        Assert.Equal([150.0, 150.0, 150.0, 150.0], shares.Select(s => s.Share));
        Assert.Equal([50L, 50L, 50L, 0L], shares.Select(s => s.Excess));
        Assert.All(shares.Take(3), s => Assert.True(s.IsAbove(0.1)));
    }

    [Fact]
    public void Shares_FollowWeights_AndLeaveOutBackendsThatAreNotRoutable()
    {
        var shares = RebalancePlanner.Shares([Backend("a", 90, weight: 2), Backend("b", 30), Backend("drained", 40, routable: false)]);

        Assert.Equal(["a", "b"], shares.Select(s => s.Id));
        Assert.Equal([80.0, 40.0], shares.Select(s => s.Share));
        Assert.Equal([10L, 0L], shares.Select(s => s.Excess));
    }

    [Fact]
    public void Shares_RampedWeightCountsAsItsShare()
    {
        // A backend in its slow start at a fifth of its weight has a fifth of a share.
        var shares = RebalancePlanner.Shares([Backend("a", 100), Backend("b", 100), Backend("new", 10, permille: 200)]);

        Assert.Equal(210 * 0.2 / 2.2, shares.Single(s => s.Id == "new").Share, 6);
    }

    [Theory]
    [InlineData(109, false)]
    [InlineData(111, true)]
    public void IsAbove_ActsOnlyBeyondTheTolerance(int live, bool above)
    {
        var share = new BackendShare("a", live, 100, live - 100);

        Assert.Equal(above, share.IsAbove(0.1));
    }

    [Fact]
    public void Shares_WithinRounding_HaveNoExcess_SoNoBackendIsPushedBelowItsShare()
    {
        var shares = RebalancePlanner.Shares([Backend("a", 2), Backend("b", 2), Backend("c", 1)]);

        Assert.All(shares, s => Assert.Equal(0, s.Excess));
    }

    [Fact]
    public void RebalanceCloses_NeverMoreThanTheBudget_SplitByExcess()
    {
        var shares = RebalancePlanner.Shares([Backend("a", 300), Backend("b", 200), Backend("c", 100), Backend("d", 0)]);

        var closes = RebalancePlanner.RebalanceCloses(shares, budget: 50);

        Assert.Equal(50, closes.Sum(c => c.Count));
        Assert.Equal([("a", 38), ("b", 12)], closes);
    }

    [Fact]
    public void RebalanceCloses_WithBudgetToSpare_ClosesExactlyTheExcess()
    {
        var shares = RebalancePlanner.Shares([Backend("a", 12), Backend("b", 6), Backend("c", 6)]);

        Assert.Equal([("a", 4)], RebalancePlanner.RebalanceCloses(shares, budget: 1000));
    }

    [Theory]
    [InlineData(300, 30, 10)]
    [InlineData(300, 1, 300)]
    [InlineData(7, 10, 1)]
    [InlineData(5, -3, 5)]
    [InlineData(0, 10, 0)]
    public void DrainCloses_SpreadTheRestEvenlyUntilTheDeadline(long live, int secondsLeft, int expected)
    {
        var now = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, RebalancePlanner.DrainCloses(live, now.AddSeconds(secondsLeft), now, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ForEdges_EachEdgeClosesInProportionToWhatItHolds()
    {
        var closes = RebalancePlanner.ForEdges("a", 10, new Dictionary<string, long> { ["e1"] = 150, ["e2"] = 50, ["e3"] = 0 });

        Assert.Equal([new EdgeCloses("e1", "a", 8), new EdgeCloses("e2", "a", 2)], closes);
    }

    [Fact]
    public void ForEdges_NeverAsksAnEdgeForMoreThanItHolds()
    {
        var closes = RebalancePlanner.ForEdges("a", 10, new Dictionary<string, long> { ["e1"] = 3, ["e2"] = 1 });

        Assert.Equal([new EdgeCloses("e1", "a", 3), new EdgeCloses("e2", "a", 1)], closes);
    }

    [Fact]
    public void Allocate_IsExact_AndDeterministic()
    {
        var items = new List<(string, long, long)> { ("x", 1, 100), ("y", 1, 100), ("z", 1, 100) };

        var first = RebalancePlanner.Allocate(10, items);

        Assert.Equal(10, first.Sum(a => a.Count));
        Assert.Equal(first, RebalancePlanner.Allocate(10, items));
        Assert.Equal([("x", 4), ("y", 3), ("z", 3)], first);
    }

    private static PlannedBackend Backend(string id, long live, int weight = 1, long? permille = null, bool routable = true) =>
        new(id, permille ?? weight * 1000L, live, routable);
}
