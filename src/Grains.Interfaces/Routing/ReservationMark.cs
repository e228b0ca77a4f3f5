namespace WsOrleans.Routing;

/// <summary>
/// Names a reservation: number <see cref="Sequence"/> of routing-grain activation <see cref="Epoch"/>
/// for one backend. In an edge's report it is the highest reservation of that activation the edge
/// had received, so the backend grain knows which reservations the report already counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.reservation-mark")]
public readonly record struct ReservationMark(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Sequence);
