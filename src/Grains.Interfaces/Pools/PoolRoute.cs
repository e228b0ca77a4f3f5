using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>What an edge needs to send a request to a pool: the path it owns, the key its strategy reads, and how it treats plain HTTP and affinity.</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Path">The path prefix the pool takes.</param>
/// <param name="Key">The part of the handshake the edge sends with each route request, or null.</param>
/// <param name="Version">Changes whenever the pool's settings change.</param>
/// <param name="BackendTls">How the edge checks the certificates of the pool's <c>wss://</c> backends.</param>
/// <param name="Admission">Which handshakes the edge admits to the pool; null admits every well-formed one.</param>
/// <param name="Http">What the edge does with a request on the path that is not a WebSocket handshake.</param>
/// <param name="AffinityCookie">The pool's affinity cookie, or null when it has none.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.pool-route")]
public sealed record class PoolRoute(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] RequestKey? Key,
    [property: Id(3)] int Version,
    [property: Id(4)] BackendTlsSettings? BackendTls = null,
    [property: Id(5)] AdmissionSettings? Admission = null,
    [property: Id(6)] PoolHttpMode Http = PoolHttpMode.Forward,
    [property: Id(7)] CookieAffinity? AffinityCookie = null);
