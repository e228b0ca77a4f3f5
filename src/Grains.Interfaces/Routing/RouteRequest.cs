namespace WsOrleans.Routing;

/// <summary>One handshake or HTTP request, as the pool's routing grain sees it.</summary>
/// <param name="EdgeId">The edge that will carry the connection; the reservation is counted against it.</param>
/// <param name="Key">The value of the pool's routing key in this handshake (client address, hash key or affinity key), or null.</param>
/// <param name="Excluded">Backends this handshake already failed on, not to be chosen again; null for a first attempt.</param>
/// <param name="Preferred">
/// The backend the client's affinity cookie names (checked by the edge), chosen when it can take the
/// connection now; otherwise the strategy picks, and the edge issues a new cookie.
/// </param>
/// <param name="KnownVersion">
/// The pool version the edge's route table holds: a router whose view of the pool is older reads it again first,
/// so a change an edge already serves is one every router routes by.
/// </param>
[GenerateSerializer, Immutable, Alias("wsorleans.route-request")]
public sealed record class RouteRequest(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string? Key,
    [property: Id(2)] string[]? Excluded = null,
    [property: Id(3)] string? Preferred = null,
    [property: Id(4)] int KnownVersion = 0);
