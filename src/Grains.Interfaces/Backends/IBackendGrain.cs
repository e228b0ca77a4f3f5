using System.Collections.Immutable;

namespace WsOrleans.Backends;

/// <summary>
/// One backend of one pool (key: <see cref="BackendKey"/>). Owns the backend's settings, admin
/// state, health and live connections per edge, and pushes every change to its pool's routing grain.
/// </summary>
[Alias("wsorleans.backend")]
public interface IBackendGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates or updates the backend (called by its routing grain) and returns its state. A retired
    /// backend added back starts <see cref="BackendAdminState.Active"/> again.
    /// </summary>
    [Alias("configure")]
    ValueTask<BackendView> Configure(BackendSettings settings);

    /// <summary>
    /// Sets and persists the backend's admin state (called by its routing grain) and returns its state. A
    /// drain may have a deadline, <paramref name="closeBy"/>, by which the pool closes its open connections.
    /// </summary>
    [Alias("set-admin-state")]
    ValueTask<BackendView> SetAdminState(BackendAdminState adminState, DateTimeOffset? closeBy = null);

    /// <summary>Each edge's live connections to this backend, for planning which edge closes what.</summary>
    [Alias("live-by-edge"), ReadOnly]
    ValueTask<ImmutableDictionary<string, long>> GetLiveByEdge();

    /// <summary>The backend's current state.</summary>
    [Alias("view"), ReadOnly]
    ValueTask<BackendView> GetView();

    /// <summary>
    /// Counts a connection the routing grain reserved for <paramref name="edgeId"/>: reservation
    /// number <paramref name="sequence"/> of routing-grain activation <paramref name="poolEpoch"/>.
    /// </summary>
    [Alias("reserve"), OneWay]
    ValueTask Reserve(string edgeId, Guid poolEpoch, long sequence);

    /// <summary>
    /// Admits one connection of <paramref name="edgeId"/> and counts it at once, or says why not: the backend is
    /// draining or removed (a drain without a deadline still takes a <paramref name="bound"/> request, one an
    /// affinity cookie names), unhealthy, or at its cap (or rebuilding its counts, when capped). This grain alone
    /// admits the connections routers choose for it, so a cap holds however many routers there are.
    /// </summary>
    [Alias("try-reserve")]
    ValueTask<BackendAdmission> TryReserve(string edgeId, bool bound);

    /// <summary>
    /// Counts connections routers admitted without asking first: the backend has no cap, and the router's view said it
    /// was active and healthy (a drain or a removal reaches every router's view before the admin change is answered).
    /// A router sends what it admitted meanwhile while its last call is under way, so under load one call carries many
    /// handshakes. Answers the backend as it is now, these counted.
    /// </summary>
    [Alias("count-admitted")]
    ValueTask<BackendView> CountAdmitted(ImmutableArray<AdmittedConnections> admitted);

    /// <summary>
    /// An edge reports that connections of its to this backend ended: their release numbers
    /// <paramref name="sequences"/> (1, 2, … per edge process <paramref name="instance"/> and backend), which its
    /// reports count (<see cref="EdgeReport.Instance"/>, <see cref="EdgeReport.Released"/>). An edge sends the releases
    /// of a busy backend together, at most one message a millisecond (<see cref="Coalescer{T}"/>).
    /// </summary>
    [Alias("release-numbered"), OneWay]
    ValueTask ReleaseNumbered(string edgeId, Guid instance, ImmutableArray<long> sequences);

    /// <summary>
    /// An edge's heartbeat report of its live connections to this backend. It renews the edge's
    /// lease here; a count not renewed within <see cref="EdgeReport.LeaseTime"/> is dropped.
    /// </summary>
    [Alias("report"), OneWay]
    ValueTask Report(EdgeReport report);

    /// <summary>
    /// The backend left its pool. Its tunnels may still be open: it keeps counting them, and forgets
    /// its settings once the last one has closed (or at once, if it is added back).
    /// </summary>
    [Alias("retire")]
    ValueTask Retire();

    /// <summary>
    /// Starts (or re-tunes) the active health checks of this backend; sent by its routing grain on
    /// activation, on every change and periodically, which also keeps this grain active.
    /// </summary>
    [Alias("watch-health"), OneWay]
    ValueTask WatchHealth(BackendProbe probe);

    /// <summary>
    /// An edge could not use the backend for a handshake (no connection, no answer in time, or 5xx):
    /// counts toward the pool's <c>UnhealthyThreshold</c>, as nginx's <c>max_fails</c>.
    /// </summary>
    [Alias("report-failure"), OneWay]
    ValueTask ReportFailure(string edgeId, string reason);

    /// <summary>An edge that reported a failure has since upgraded a handshake on the backend: failures so far no longer count.</summary>
    [Alias("report-success"), OneWay]
    ValueTask ReportSuccess(string edgeId);
}
