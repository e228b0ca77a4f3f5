using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using WsOrleans.Logging;
using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// Edge leases and reconciliation: each edge's heartbeat report is the truth for the connections
/// it carries, and an edge whose reports stop (killed) has its connections dropped after its lease.
/// The reasoning that keeps the counts exact is in docs/accounting.md.
/// </summary>
internal sealed partial class BackendGrain
{
    /// <summary>The lease of an edge this grain has counted connections for but not heard a report from.</summary>
    internal static readonly TimeSpan UnreportedLease = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, EdgeLedger> _ledgers = new(StringComparer.Ordinal);
    private IGrainTimer? _leaseTimer;
    private long _pushedVersion = -1;
    private long _lastPush;
    private TimeSpan _leaseTimerPeriod = TimeSpan.MaxValue;

    public async ValueTask ReleaseNumbered(string edgeId, Guid instance, ImmutableArray<long> sequences)
    {
        var ledger = Ledger(edgeId);
        var reportedHere = ledger.Reported && ledger.Instance == instance;
        var released = 0;
        foreach (var sequence in sequences)
        {
            // Not one a report already subtracted (it overtook the release), nor one that came twice.
            if (!(reportedHere && sequence <= ledger.ReportedReleases) && ledger.ReleasesAfter.Add((instance, sequence)))
            {
                released++;
            }
        }

        if (released > 0)
        {
            Count(edgeId, -released);
            PushCounts();
            await ForgetIfRetiredAndIdle();
        }
    }

    public async ValueTask Report(EdgeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ledger = Ledger(report.EdgeId);
        if (ledger.Instance == report.Instance && report.Sequence <= ledger.ReportSequence)
        {
            return;
        }

        var now = time.GetTimestamp();
        // A new edge process under the same id numbers its releases from 1 again: the last process's are its report's no
        // more. Its own may have come before its first report, and are kept.
        ledger.Instance = report.Instance;

        ledger.ReportSequence = report.Sequence;
        ledger.ReportedReleases = report.Released;
        ledger.Seen = report.Seen.IsDefault ? [] : report.Seen;
        ledger.Renewed = now;
        ledger.LeaseTime = report.LeaseTime;
        ledger.ReleasesAfter.RemoveWhere(release => release.Instance != report.Instance || release.Sequence <= report.Released);
        ledger.Reports++;
        ledger.ReservationsAfter.RemoveAll(r => ledger.Covers(r.Mark) || Lost(ledger, r, now, report.HeartbeatInterval));

        var count = report.Live + ledger.ReservationsAfter.Count - ledger.ReleasesAfter.Count;
        var delta = count - _liveByEdge.GetValueOrDefault(report.EdgeId);
        if (delta != 0)
        {
            Log.Reconciled(logger, this.GetPrimaryKeyString(), report.EdgeId, count - delta, count);
            Count(report.EdgeId, delta);
            PushCounts();
            await ForgetIfRetiredAndIdle();
        }
        else if (_version != _pushedVersion || time.GetElapsedTime(_lastPush) >= report.HeartbeatInterval)
        {
            // Reservations are not pushed one by one, and a push to a routing grain on a dying silo is
            // lost: once per heartbeat the routing grain gets the count again, so it never stays behind.
            PushCounts();
        }

        EnsureLeaseTimer(report.LeaseTime);
    }

    /// <summary>
    /// Called for each reservation: true when the edge's last report already counted it (the edge
    /// received the routing grain's answer before this message arrived); otherwise it is noted as
    /// counted on top of the report.
    /// </summary>
    private bool CountedByReport(string edgeId, Guid poolEpoch, long sequence)
    {
        var ledger = Ledger(edgeId);
        var mark = new ReservationMark(poolEpoch, sequence);
        if (ledger.Covers(mark))
        {
            return true;
        }

        NoteUnreported(ledger, mark);
        return false;
    }

    /// <summary>Notes a reservation the edge's last report did not include, so the next reports are counted on top of it.</summary>
    private void NoteUnreported(EdgeLedger ledger, ReservationMark mark) =>
        ledger.ReservationsAfter.Add((mark, time.GetTimestamp(), ledger.Reports));

    /// <summary>
    /// Whether a reservation never reached its edge (the answer was lost in a partition, or came after the edge gave
    /// up on it and routed alone): the second report made a heartbeat or more after it arrived still does not count
    /// it, when the edge had had the time to receive it. Were it counted wrongly, the edge's next report restores it.
    /// </summary>
    private bool Lost(EdgeLedger ledger, (ReservationMark Mark, long Arrived, long ReportsBefore) reservation, long now, TimeSpan heartbeat) =>
        ledger.Reports - reservation.ReportsBefore >= 2 && time.GetElapsedTime(reservation.Arrived, now) >= heartbeat;

    private void MarkPushed()
    {
        _pushedVersion = _version;
        _lastPush = time.GetTimestamp();
    }

    private EdgeLedger Ledger(string edgeId)
    {
        if (!_ledgers.TryGetValue(edgeId, out var ledger))
        {
            ledger = new EdgeLedger(time.GetTimestamp(), UnreportedLease);
            _ledgers.Add(edgeId, ledger);
            EnsureLeaseTimer(UnreportedLease);
        }

        return ledger;
    }

    private void EnsureLeaseTimer(TimeSpan leaseTime)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(leaseTime.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(1).Ticks));
        if (period < _leaseTimerPeriod)
        {
            _leaseTimer?.Dispose();
            _leaseTimerPeriod = period;
            _leaseTimer = this.RegisterGrainTimer(ExpireLeasesAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = false });
        }
    }

    private async Task ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var changed = false;
        foreach (var (edgeId, ledger) in _ledgers.Where(l => time.GetElapsedTime(l.Value.Renewed, now) >= l.Value.LeaseTime).ToList())
        {
            _ledgers.Remove(edgeId);
            var live = _liveByEdge.GetValueOrDefault(edgeId);
            if (live != 0)
            {
                Log.LeaseLapsed(logger, this.GetPrimaryKeyString(), edgeId, live);
                Count(edgeId, -live);
                changed = true;
            }
        }

        // Counts from edges never heard from (reservations before their first report) get a lease too.
        foreach (var edgeId in _liveByEdge.Keys.Where(id => !_ledgers.ContainsKey(id)).ToList())
        {
            Ledger(edgeId);
        }

        if (changed)
        {
            PushCounts();
            await ForgetIfRetiredAndIdle();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Backends.LeaseLapsed, Level = LogLevel.Information, Message = "Backend {Backend}: the lease of edge {Edge} lapsed; its {Live} connections are no longer counted")]
        public static partial void LeaseLapsed(ILogger logger, string backend, string edge, long live);

        [LoggerMessage(EventId = EventIds.Backends.Reconciled, Level = LogLevel.Information, Message = "Backend {Backend}: edge {Edge} reports a count that differs from the cluster's ({Counted} counted, {Reported} reported); taking the edge's")]
        public static partial void Reconciled(ILogger logger, string backend, string edge, long counted, long reported);
    }
}
