using Microsoft.Extensions.Logging;
using WsOrleans.Backends;

namespace WsOrleans.Tests.Unit.Health;

public sealed class HealthChangeLevelTests
{
    [Theory]
    [InlineData(BackendHealth.Unknown, BackendHealth.Healthy, LogLevel.Information)]
    [InlineData(BackendHealth.Unknown, BackendHealth.Unhealthy, LogLevel.Warning)]
    [InlineData(BackendHealth.Healthy, BackendHealth.Unhealthy, LogLevel.Warning)]
    [InlineData(BackendHealth.Unhealthy, BackendHealth.Healthy, LogLevel.Warning)]
    public void ChangeLevel_OnlyANewBackendsFirstPasses_AreInformation(BackendHealth previous, BackendHealth health, LogLevel expected)
    {
        Assert.Equal(expected, BackendGrain.ChangeLevel(previous, health));
    }
}
