using System.Collections.Immutable;
using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// An edge's own count of its live connections to one backend, sent with every heartbeat. The
/// backend grain takes it as the truth for what the edge had seen when it made the report:
/// the reservations it names in <see cref="Seen"/> and its releases numbered up to <see cref="Released"/>;
/// the ones after are added on top (docs/accounting.md).
/// </summary>
/// <param name="EdgeId">The reporting edge.</param>
/// <param name="Instance">The edge process; a new one (same id, restarted) starts its numbering again.</param>
/// <param name="Sequence">Orders this instance's reports: an older one arriving late is ignored.</param>
/// <param name="LeaseTime">How long the count holds without a newer report.</param>
/// <param name="Live">The edge's live connections to the backend.</param>
/// <param name="Released">How many releases the edge has sent for the backend (they are numbered 1, 2, …).</param>
/// <param name="Seen">Per numbering of reservations (the last two), which of them the edge had received.</param>
/// <param name="HeartbeatInterval">How often the edge reports.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.edge-report")]
public sealed record class EdgeReport(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] Guid Instance,
    [property: Id(2)] long Sequence,
    [property: Id(3)] TimeSpan LeaseTime,
    [property: Id(4)] long Live,
    [property: Id(5)] long Released,
    [property: Id(8)] ImmutableArray<ReceivedReservations> Seen,
    [property: Id(7)] TimeSpan HeartbeatInterval);
