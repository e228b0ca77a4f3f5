using WsOrleans.Backends;
using WsOrleans.Health;
using WsOrleans.Pools;

namespace WsOrleans.Tests.Unit.Health;

public sealed class HealthTrackerTests
{
    private static readonly HealthCheckSettings Check = new() { UnhealthyThreshold = 3, HealthyThreshold = 2 };

    [Fact]
    public void New_IsUnknown()
    {
        Assert.Equal(BackendHealth.Unknown, new HealthTracker().Health);
    }

    [Fact]
    public void Failures_BecomeUnhealthyOnlyAtTheThreshold_AndAPassInBetweenStartsOver()
    {
        var tracker = new HealthTracker();

        Assert.False(tracker.Record(false, Check));
        Assert.False(tracker.Record(false, Check));
        Assert.False(tracker.Record(true, Check));
        Assert.Equal(0, tracker.ConsecutiveFailures);
        Assert.False(tracker.Record(false, Check));
        Assert.False(tracker.Record(false, Check));
        Assert.True(tracker.Record(false, Check));

        Assert.Equal(BackendHealth.Unhealthy, tracker.Health);
        Assert.Equal(3, tracker.ConsecutiveFailures);
    }

    [Fact]
    public void Unhealthy_ReturnsAfterHealthyThresholdPassesInARow()
    {
        var tracker = new HealthTracker();
        for (var i = 0; i < 3; i++)
        {
            tracker.Record(false, Check);
        }

        Assert.False(tracker.Record(true, Check));
        Assert.False(tracker.Record(false, Check));
        Assert.False(tracker.Record(true, Check));
        Assert.True(tracker.Record(true, Check));

        Assert.Equal(BackendHealth.Healthy, tracker.Health);
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var tracker = new HealthTracker();
        for (var i = 0; i < 3; i++)
        {
            tracker.Record(false, Check);
        }

        tracker.Reset();

        Assert.Equal((BackendHealth.Unknown, 0), (tracker.Health, tracker.ConsecutiveFailures));
    }
}
