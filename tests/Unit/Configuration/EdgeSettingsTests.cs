using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class EdgeSettingsTests
{
    [Fact]
    public void Load_NoEdgeSection_GetsAnIdOfThisProcessAndDefaultTimings()
    {
        var edge = Config.Load().Edge;

        Assert.StartsWith($"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-", edge.Id);
        Assert.Equal(TimeSpan.FromSeconds(5), edge.RouteTimeout);
        Assert.True(edge.RouteLocally);
        Assert.Equal(TimeSpan.FromSeconds(5), edge.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), edge.RouteRefreshInterval);
        Assert.Equal(3, edge.RouteAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), edge.LeaseTime);
        Assert.Equal(TimeSpan.FromSeconds(5), edge.HeartbeatInterval);
    }

    [Fact]
    public void Load_RouteLocally_IsRead_AndAnythingButABoolIsRefused()
    {
        Assert.False(Config.Load("WsOrleans:Edge:RouteLocally=false").Edge.RouteLocally);
        Assert.Equal(
            new ConfigurationError("WsOrleans:Edge:RouteLocally", "sometimes", "must be true or false"),
            Config.Error("WsOrleans:Edge:RouteLocally=sometimes"));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("10", 10)]
    public void Load_RouteAttempts_IsRead(string value, int expected)
    {
        Assert.Equal(expected, Config.Load($"WsOrleans:Edge:RouteAttempts={value}").Edge.RouteAttempts);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("three")]
    public void Load_RouteAttemptsOutOfRange_IsRefusedWithTheRange(string value)
    {
        var error = Config.Error($"WsOrleans:Edge:RouteAttempts={value}");

        Assert.Equal(new ConfigurationError("WsOrleans:Edge:RouteAttempts", value, "must be a whole number from 1 to 10"), error);
    }

    [Fact]
    public void Load_ShortLeaseTime_IsRead_AndTheHeartbeatIsAThirdOfIt()
    {
        var edge = Config.Load("WsOrleans:Edge:LeaseTime=00:00:03").Edge;

        Assert.Equal(TimeSpan.FromSeconds(3), edge.LeaseTime);
        Assert.Equal(TimeSpan.FromSeconds(1), edge.HeartbeatInterval);
    }

    [Fact]
    public void Load_HeartbeatInterval_IsRead()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Config.Load("WsOrleans:Edge:HeartbeatInterval=00:00:02").Edge.HeartbeatInterval);
    }

    [Fact]
    public void Load_HeartbeatLongerThanHalfTheLease_IsRefused()
    {
        var error = Config.Error("WsOrleans:Edge:LeaseTime=00:00:10", "WsOrleans:Edge:HeartbeatInterval=00:00:06");

        Assert.Equal(new ConfigurationError("WsOrleans:Edge:HeartbeatInterval", "00:00:06", "must be at most half of WsOrleans:Edge:LeaseTime (00:00:10)"), error);
    }

    [Fact]
    public void Load_EdgeValues_AreRead()
    {
        var edge = Config.Load(
            "WsOrleans:Edge:Id=edge-1",
            "WsOrleans:Edge:RouteTimeout=00:00:00.250",
            "WsOrleans:Edge:RetryAfter=00:00:30",
            "WsOrleans:Edge:RouteRefreshInterval=00:00:01").Edge;

        Assert.Equal(
            new EdgeSettings
            {
                Id = "edge-1",
                RouteTimeout = TimeSpan.FromMilliseconds(250),
                RetryAfter = TimeSpan.FromSeconds(30),
                RouteRefreshInterval = TimeSpan.FromSeconds(1),
            },
            edge);
    }

    [Fact]
    public void Load_EdgeIdWithSpaces_IsRefused()
    {
        var error = Config.Error("WsOrleans:Edge:Id=edge one");

        Assert.Equal(new ConfigurationError("WsOrleans:Edge:Id", "edge one", "must be 1 to 100 letters, digits, '.', '_' or '-'"), error);
    }

    [Theory]
    [InlineData("RouteTimeout", "00:02:00")]
    [InlineData("RouteTimeout", "5")]
    [InlineData("RetryAfter", "00:00:00.5")]
    [InlineData("RouteRefreshInterval", "2s")]
    [InlineData("LeaseTime", "00:00:00.5")]
    [InlineData("LeaseTime", "02:00:00")]
    [InlineData("HeartbeatInterval", "00:10:00")]
    public void Load_EdgeDurationOutOfRange_IsRefused(string key, string value)
    {
        var error = Config.Error($"WsOrleans:Edge:{key}={value}");

        Assert.Equal($"WsOrleans:Edge:{key}", error.Key);
        Assert.Equal(value, error.Value);
        Assert.StartsWith("must be a duration (hh:mm:ss, e.g. 00:00:02) from ", error.Allowed);
    }
}
