using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// Admitting the connections routers choose: counted here at once, by this grain's own counts, so a cap holds
/// however many routers choose this backend at the same time.
/// </summary>
internal sealed partial class BackendGrain
{
    // Names this activation's admissions; the edges' reports name the highest they received (docs/accounting.md).
    private readonly Guid _admissionEpoch = Guid.NewGuid();
    private long _admitted;

    public ValueTask<BackendAdmission> TryReserve(string edgeId, bool bound)
    {
        var now = View();
        if (state.State is not { Settings: not null, Retired: false })
        {
            // Removed from its pool, or never configured: a router's view was older than the change.
            return ValueTask.FromResult(new BackendAdmission(RouteOutcome.AllUnavailable, null, now));
        }

        if (AdmissionRules.Refusal(now, _live, _rebuilding, bound) is { } refusal)
        {
            return ValueTask.FromResult(new BackendAdmission(refusal, null, now));
        }

        var mark = new ReservationMark(_admissionEpoch, ++_admitted);
        _total++;

        // No report of the edge can have seen it yet.
        NoteUnreported(Ledger(edgeId), mark);
        Count(edgeId, +1);
        PushCounts();
        return ValueTask.FromResult(new BackendAdmission(null, mark, View()));
    }
}
