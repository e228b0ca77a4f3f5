namespace WsOrleans.Pools;

/// <summary>Active health checking of a pool's backends.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.health-check-settings")]
public sealed record class HealthCheckSettings
{
    /// <summary>The probe. The default is <see cref="HealthCheckMode.Tcp"/>.</summary>
    [Id(0)] public HealthCheckMode Mode { get; init; } = HealthCheckMode.Tcp;

    /// <summary>The path probed by <c>Http</c> checks. The default is <c>/health</c>.</summary>
    [Id(1)] public string Path { get; init; } = "/health";

    /// <summary>Time between probes. The default is two seconds.</summary>
    [Id(2)] public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time a probe may take. The default is one second.</summary>
    [Id(3)] public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failures that make a backend unhealthy. The default is 2.</summary>
    [Id(4)] public int UnhealthyThreshold { get; init; } = 2;

    /// <summary>Consecutive successes that make an unhealthy backend healthy again. The default is 2.</summary>
    [Id(5)] public int HealthyThreshold { get; init; } = 2;
}
