using WsOrleans.Pools;

namespace WsOrleans.Backends;

/// <summary>What a backend grain needs from its pool to check the backend's health.</summary>
/// <param name="HealthCheck">The pool's health-check settings: mode, path, timings and thresholds.</param>
/// <param name="PoolPath">The pool's path; a <c>WebSocket</c> probe handshakes there, as a client would.</param>
/// <param name="BackendTls">How a <c>wss://</c> backend's certificate is checked.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-probe")]
public sealed record class BackendProbe(
    [property: Id(0)] HealthCheckSettings HealthCheck,
    [property: Id(1)] string PoolPath,
    [property: Id(2)] BackendTlsSettings BackendTls);
