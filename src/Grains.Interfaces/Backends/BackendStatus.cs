namespace WsOrleans.Backends;

/// <summary>One backend in a status report.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-status")]
public sealed record class BackendStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Address,
    [property: Id(2)] int Weight,
    [property: Id(3)] int MaxConnections,
    [property: Id(4)] BackendHealth Health,
    [property: Id(5)] BackendAdminState AdminState,
    [property: Id(6)] long Connections,
    [property: Id(7)] long TotalConnections,
    [property: Id(8)] HealthCheckResult? LastCheck = null,
    [property: Id(9)] int ConsecutiveFailures = 0);
