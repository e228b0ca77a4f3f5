namespace WsOrleans.Routing;

/// <summary>
/// Names a reservation: number <see cref="Sequence"/> (1, 2, 3, … per edge) of the numbering <see cref="Epoch"/>:
/// an edge's or a router's for what it admits alone at an uncapped backend, the backend grain's ledger of the edge for
/// what that grain admits when asked, or the pool grain's member for Sticky pools. An edge's report says which it had
/// received (<see cref="ReceivedReservations"/>), so the backend grain knows which reservations the report already
/// counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.reservation-mark")]
public readonly record struct ReservationMark(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Sequence);
