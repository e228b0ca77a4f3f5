namespace WsOrleans.Backends;

/// <summary>The last health evidence about a backend: an active probe, or an edge's report of a handshake.</summary>
/// <param name="Passed">Whether the backend passed.</param>
/// <param name="Detail">What was seen, in words: <c>tcp connect ok</c>, <c>http 503</c>, <c>edge e1: connection refused</c>.</param>
/// <param name="At">When.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.health-check-result")]
public sealed record class HealthCheckResult(
    [property: Id(0)] bool Passed,
    [property: Id(1)] string Detail,
    [property: Id(2)] DateTimeOffset At);
