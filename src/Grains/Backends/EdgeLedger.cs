using System.Collections.Immutable;
using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// What a backend grain knows of one edge's count beyond its number: the edge's last report, the
/// reservations and releases that arrived since and that the report did not include, and when the
/// edge's lease here lapses. See docs/accounting.md.
/// </summary>
internal sealed class EdgeLedger(long renewed, TimeSpan leaseTime)
{
    /// <summary>The edge process whose reports these are.</summary>
    public Guid Instance { get; set; }

    /// <summary>The last report's sequence; -1 before the first.</summary>
    public long ReportSequence { get; set; } = -1;

    /// <summary>When the lease was last renewed (a <see cref="TimeProvider"/> timestamp); it lapses <see cref="LeaseTime"/> later.</summary>
    public long Renewed { get; set; } = renewed;

    /// <summary>How long the lease lasts from <see cref="Renewed"/>.</summary>
    public TimeSpan LeaseTime { get; set; } = leaseTime;

    /// <summary>How many releases the last report had already subtracted.</summary>
    public long ReportedReleases { get; set; }

    /// <summary>The reservations the last report had already counted.</summary>
    public ImmutableArray<ReceivedReservations> Seen { get; set; } = [];

    /// <summary>Names this ledger's numbering of the connections this grain admits for the edge; a new ledger starts a new one.</summary>
    public Guid AdmissionEpoch { get; } = Guid.NewGuid();

    /// <summary>How many connections this grain admitted for the edge under <see cref="AdmissionEpoch"/>.</summary>
    public long Admitted { get; set; }

    /// <summary>
    /// Release numbers that arrived and are not in the last report, with the edge process that sent each: a new
    /// process's releases may arrive before its first report, and numbers start from 1 again in every process.
    /// </summary>
    public HashSet<(Guid Instance, long Sequence)> ReleasesAfter { get; } = [];

    /// <summary>Reservations that arrived and are not in the last report, with when they arrived (a timestamp) and how many reports had by then.</summary>
    public List<(ReservationMark Mark, long Arrived, long ReportsBefore)> ReservationsAfter { get; } = [];

    /// <summary>Reports taken from this edge so far.</summary>
    public long Reports { get; set; }

    public bool Reported => ReportSequence >= 0;

    /// <summary>Whether the last report already counted <paramref name="mark"/>.</summary>
    public bool Covers(ReservationMark mark)
    {
        foreach (var seen in Seen)
        {
            if (seen.Covers(mark))
            {
                return true;
            }
        }

        return false;
    }
}
