using WsOrleans.Routing;

namespace WsOrleans.Backends;

/// <summary>
/// Whether a backend takes a new connection now, and if not, why. The pool grain decides by it for the pools it
/// routes itself (Sticky), a router to skip what its view says cannot take one, and the backend grain, which admits
/// what routers choose, by its own counts.
/// </summary>
internal static class AdmissionRules
{
    /// <summary>Why <paramref name="view"/>'s backend cannot take a new connection, or null when it can.</summary>
    /// <param name="view">The backend's state.</param>
    /// <param name="live">Its live connections as the caller counts them.</param>
    /// <param name="countsUncertain">The counts may be short (being rebuilt): a capped backend counts as full rather than be filled past its cap.</param>
    /// <param name="bound">
    /// The request is bound to this backend by an affinity cookie: a drain without a deadline still takes it, as HAProxy
    /// keeps persistent sessions on a drained server, so a long-polling or event-stream session in progress is not cut.
    /// </param>
    public static RouteOutcome? Refusal(BackendView view, long live, bool countsUncertain, bool bound)
    {
        var keepsBound = bound && view is { AdminState: BackendAdminState.Draining, CloseBy: null };
        if (view.AdminState != BackendAdminState.Active && !keepsBound)
        {
            return RouteOutcome.AllUnavailable;
        }

        if (view.Health == BackendHealth.Unhealthy)
        {
            return RouteOutcome.AllUnhealthy;
        }

        var cap = view.Settings.MaxConnections;
        return cap > 0 && (countsUncertain || live >= cap) ? RouteOutcome.AllFull : null;
    }
}
