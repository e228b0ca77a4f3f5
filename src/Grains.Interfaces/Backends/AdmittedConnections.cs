using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// Connections a router admitted on its own for one edge: numbers <see cref="First"/> to
/// <see cref="First"/> + <see cref="Count"/> - 1 of the router's numbering <see cref="Epoch"/> for that edge and
/// backend (<see cref="ReservationMark"/>), sent together to the backend grain by <see cref="IBackendGrain.CountAdmitted"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.admitted-connections")]
public readonly record struct AdmittedConnections(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] Guid Epoch,
    [property: Id(2)] long First,
    [property: Id(3)] int Count);
