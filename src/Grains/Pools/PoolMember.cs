using WsOrleans.Backends;
using WsOrleans.Balancing;
using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>
/// The routing grain's view of one backend: the backend grain's last pushed state plus the
/// reservations this routing grain made that the backend grain had not yet counted.
/// </summary>
internal sealed class PoolMember
{
    // The routing grain activation's id, which its reservations carry.
    private readonly Guid _epoch;

    // Reservations are numbered 1, 2, 3, ... per routing grain activation.
    private long _lastIssued;

    // Reservations up to this number are no longer in flight: a new backend incarnation either
    // counted them before it, or (lost with the old one) will have them re-reported by the edges.
    private long _settled;

    public PoolMember(BackendView view, IBackendGrain grain, Guid epoch)
    {
        Entry = new BackendEntry(view.Settings.Id) { Weight = view.Settings.Weight };
        Grain = grain;
        View = view;
        _epoch = epoch;
        Recount();
    }

    public BackendEntry Entry { get; }

    public IBackendGrain Grain { get; }

    public BackendView View { get; private set; }

    public long TotalConnections { get; private set; }

    public string Id => Entry.Id;

    /// <summary>Takes a newer view of the backend; an older one (overtaken on the way) is ignored.</summary>
    public void Apply(BackendView view)
    {
        if (View.IsNewerThan(view))
        {
            return;
        }

        if (view.Incarnation != View.Incarnation)
        {
            _settled = _lastIssued;
        }

        View = view;
        Entry.Weight = view.Settings.Weight;
        Recount();
    }

    /// <summary>Counts a new reservation and returns its number, for the backend grain.</summary>
    public long Reserve()
    {
        _lastIssued++;
        Recount();
        return _lastIssued;
    }

    /// <summary>Why this backend cannot take a new connection now, or null when it can.</summary>
    public RouteOutcome? Refusal =>
        View.AdminState != BackendAdminState.Active ? RouteOutcome.AllUnavailable
        : View.Health == BackendHealth.Unhealthy ? RouteOutcome.AllUnhealthy
        : View.Settings.MaxConnections > 0 && Entry.Live >= View.Settings.MaxConnections ? RouteOutcome.AllFull
        : null;

    public BackendStatus Status() => new(
        Id, View.Settings.Address, View.Settings.Weight, View.Settings.MaxConnections,
        View.Health, View.AdminState, Entry.Live, TotalConnections, View.LastCheck, View.ConsecutiveFailures);

    private void Recount()
    {
        var applied = View.ReservationEpoch == _epoch ? View.ReservationsReceived : 0;
        // Reservations issued since the last settling, less those the backend grain has received.
        var pending = Math.Max(0, _lastIssued - _settled - applied);
        Entry.Live = View.Live + pending;
        TotalConnections = View.TotalConnections + pending;
    }
}
