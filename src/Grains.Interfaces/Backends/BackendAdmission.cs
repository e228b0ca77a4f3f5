using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>A backend grain's answer to <see cref="IBackendGrain.TryReserve"/>.</summary>
/// <param name="Refusal">Why the connection was not admitted; null when it was.</param>
/// <param name="Reservation">The reservation made (numbered by this backend grain's activation), which the edge's reports name.</param>
/// <param name="View">The backend as it is now, the admitted connection counted.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-admission")]
public sealed record class BackendAdmission(
    [property: Id(0)] RouteOutcome? Refusal,
    [property: Id(1)] ReservationMark? Reservation,
    [property: Id(2)] BackendView View);
