namespace WsOrleans.Backends;

/// <summary>
/// One backend in a status report. A draining backend with a deadline has <see cref="CloseBy"/>, and
/// <see cref="EmptySince"/> once its last connection ended; a backend in its slow start has the weight
/// it takes new connections with now, <see cref="RampedWeight"/>. <see cref="CountsRebuilding"/>: the backend grain was
/// activated again (its silo was lost) and <see cref="Connections"/> may be short until the edges' reports have rebuilt it.
/// </summary>
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
    [property: Id(9)] int ConsecutiveFailures = 0,
    [property: Id(10)] DateTimeOffset? CloseBy = null,
    [property: Id(11)] DateTimeOffset? EmptySince = null,
    [property: Id(12)] double? RampedWeight = null,
    [property: Id(13)] bool CountsRebuilding = false);
