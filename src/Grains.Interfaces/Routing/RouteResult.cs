namespace WsOrleans.Routing;

/// <summary>The routing grain's answer: the backend chosen (and reserved), or why there is none.</summary>
/// <param name="Outcome">Whether a backend was chosen, and if not, why.</param>
/// <param name="BackendId">The chosen backend's id when <see cref="Outcome"/> is <see cref="RouteOutcome.Routed"/>.</param>
/// <param name="Address">The chosen backend's address (<c>ws://</c> or <c>wss://</c>).</param>
/// <param name="PoolVersion">The pool's settings version; an edge holding an older one refreshes its routes.</param>
/// <param name="Reservation">The reservation made for the connection, which the edge's reports name (docs/accounting.md).</param>
[GenerateSerializer, Immutable, Alias("wsorleans.route-result")]
public readonly record struct RouteResult(
    [property: Id(0)] RouteOutcome Outcome,
    [property: Id(1)] string? BackendId,
    [property: Id(2)] string? Address,
    [property: Id(3)] int PoolVersion,
    [property: Id(4)] ReservationMark? Reservation = null)
{
    public static RouteResult Refused(RouteOutcome outcome, int poolVersion) => new(outcome, null, null, poolVersion);
}
