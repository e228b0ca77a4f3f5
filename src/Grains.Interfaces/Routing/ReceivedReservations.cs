using System.Collections.Immutable;

namespace WsOrleans.Routing;

/// <summary>
/// Which reservations of one numbering <see cref="Epoch"/> an edge had received when it made a report: every number up
/// to <see cref="Highest"/> except those in <see cref="Missing"/> (ascending). Reservations are numbered per edge, so a
/// number below the highest that has not arrived is one still on its way (answers to one edge come back through
/// different routers and may overtake each other) or lost; the report must not count either.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.received-reservations")]
public sealed record class ReceivedReservations(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Highest,
    [property: Id(2)] ImmutableArray<long> Missing)
{
    /// <summary>Whether the edge had received <paramref name="mark"/>.</summary>
    public bool Covers(ReservationMark mark) =>
        mark.Epoch == Epoch && mark.Sequence <= Highest && (Missing.IsDefaultOrEmpty || Missing.BinarySearch(mark.Sequence) < 0);
}
