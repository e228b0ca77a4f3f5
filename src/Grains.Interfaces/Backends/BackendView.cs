namespace WsOrleans.Backends;

/// <summary>
/// A backend grain's state as it pushes it to its pool's routing grain.
/// <see cref="ReservationEpoch"/> and <see cref="ReservationsApplied"/> say how many of the
/// routing grain's reservations <see cref="Live"/> already includes, so the routing grain can add
/// the ones still in flight and never count a connection twice or not at all.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-view")]
public sealed record class BackendView(
    [property: Id(0)] BackendSettings Settings,
    [property: Id(1)] BackendHealth Health,
    [property: Id(2)] BackendAdminState AdminState,
    [property: Id(3)] long Live,
    [property: Id(4)] long TotalConnections,
    [property: Id(5)] Guid ReservationEpoch,
    [property: Id(6)] long ReservationsApplied,
    [property: Id(7)] long Version);
