using System.Collections.Immutable;
using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// Admitting the connections routers choose: counted here at once, by this grain's own counts, so a cap holds
/// however many routers choose this backend at the same time.
/// </summary>
internal sealed partial class BackendGrain
{
    public ValueTask<BackendAdmission> TryReserve(string edgeId, bool bound)
    {
        var view = View();
        if (state.State is not { Settings: not null, Retired: false })
        {
            // Removed from its pool, or never configured: a router's view was older than the change.
            return ValueTask.FromResult(new BackendAdmission(RouteOutcome.AllUnavailable, null, view));
        }

        if (AdmissionRules.Refusal(view, _live, _rebuilding, bound) is { } refusal)
        {
            return ValueTask.FromResult(new BackendAdmission(refusal, null, view));
        }

        // Numbered per edge, so the edge's reports can say exactly which it received (docs/accounting.md).
        var ledger = Ledger(edgeId);
        var mark = new ReservationMark(ledger.AdmissionEpoch, ++ledger.Admitted);
        _total++;

        // No report of the edge can have seen it yet.
        NoteUnreported(ledger, mark);
        Count(edgeId, +1);
        PushCounts();
        return ValueTask.FromResult(new BackendAdmission(null, mark, View()));
    }

    public ValueTask<BackendView> CountAdmitted(ImmutableArray<AdmittedConnections> admitted)
    {
        foreach (var connections in admitted)
        {
            var ledger = Ledger(connections.EdgeId);
            var counted = 0;
            for (var sequence = connections.First; sequence < connections.First + connections.Count; sequence++)
            {
                // The router answered the edge before telling this grain: the edge's report may have counted it already.
                var mark = new ReservationMark(connections.Epoch, sequence);
                if (!ledger.Covers(mark))
                {
                    NoteUnreported(ledger, mark);
                    counted++;
                }
            }

            _total += connections.Count;
            if (counted > 0)
            {
                Count(connections.EdgeId, counted);
            }
        }

        _version++;
        PushCounts();
        return ValueTask.FromResult(View());
    }
}
