using System.Runtime.InteropServices;
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
    // Reservations issued for this member.
    private long _lastIssued;

    // Their numbers, 1, 2, 3, ... per edge, so an edge's reports can say exactly which it received (docs/accounting.md).
    private readonly Dictionary<string, long> _issuedToEdge = new(StringComparer.Ordinal);

    // Reservations up to this number are no longer in flight: a new backend incarnation either
    // counted them before it, or (lost with the old one) will have them re-reported by the edges.
    private long _settled;

    public PoolMember(BackendView view, IBackendGrain grain)
    {
        Entry = new BackendEntry(view.Settings.Id) { Weight = view.Settings.Weight };
        Grain = grain;
        View = view;
        Recount();
    }

    public BackendEntry Entry { get; }

    /// <summary>Names this member's reservations (it lives as long as the routing grain's activation, or less when the backend is removed and added back).</summary>
    public Guid Epoch { get; } = Guid.NewGuid();

    public IBackendGrain Grain { get; }

    public BackendView View { get; private set; }

    public long TotalConnections { get; private set; }

    /// <summary>When this member's slow start began; null when it takes its full weight.</summary>
    public DateTimeOffset? RampStarted { get; private set; }

    /// <summary>Whether it may take new connections, full or not: active and not unhealthy.</summary>
    public bool IsRoutable => View.AdminState == BackendAdminState.Active && View.Health != BackendHealth.Unhealthy;

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
        if (Entry.Weight != view.Settings.Weight || RampStarted is null)
        {
            Entry.Weight = view.Settings.Weight;
            RampStarted = null;
        }

        Recount();
    }

    /// <summary>Starts a slow start: the member's weight ramps from a tenth to full (<see cref="UpdateRamp"/>).</summary>
    public void StartRamp(DateTimeOffset now)
    {
        RampStarted = now;
        Entry.Ramp(BackendEntry.MinimumRamp);
    }

    /// <summary>Sets the ramped weight for <paramref name="now"/>; false once the ramp is over (or there is none).</summary>
    public bool UpdateRamp(DateTimeOffset now, TimeSpan window)
    {
        if (RampStarted is not { } started)
        {
            return false;
        }

        if (Entry.RampAt(started, now, window))
        {
            return true;
        }

        RampStarted = null;
        return false;
    }

    /// <summary>Counts a new reservation for <paramref name="edgeId"/> and returns its number, for the edge and the backend grain.</summary>
    public long Reserve(string edgeId)
    {
        _lastIssued++;
        Recount();
        return ++CollectionsMarshal.GetValueRefOrAddDefault(_issuedToEdge, edgeId, out _);
    }

    /// <summary>Why this backend cannot take a new connection now, or null when it can.</summary>
    public RouteOutcome? Refusal => AdmissionRules.Refusal(View, Entry.Live, CountsUncertain, bound: false);

    /// <summary>Whether it takes a request an affinity cookie binds to it (<see cref="AdmissionRules.Refusal"/>).</summary>
    public bool TakesBoundRequests => AdmissionRules.Refusal(View, Entry.Live, CountsUncertain, bound: true) is null;

    /// <summary>
    /// Set while this routing grain's activation is new after a lost one: connections the lost one (or, for a moment,
    /// a copy of it on a silo not yet told it is dead) admitted may not have reached the backend's count yet.
    /// </summary>
    public bool AwaitingCounts { get; set; }

    private bool CountsUncertain => View.Rebuilding || AwaitingCounts;

    public BackendStatus Status() => new(
        Id, View.Settings.Address, View.Settings.Weight, View.Settings.MaxConnections,
        View.Health, View.AdminState, Entry.Live, TotalConnections, View.LastCheck, View.ConsecutiveFailures,
        View.CloseBy, View.EmptySince, RampStarted is null ? null : Entry.WeightPermille / 1000.0, View.Rebuilding);

    private void Recount()
    {
        var applied = View.ReservationEpoch == Epoch ? View.ReservationsReceived : 0;
        // Reservations issued since the last settling, less those the backend grain has received.
        var pending = Math.Max(0, _lastIssued - _settled - applied);
        Entry.Live = View.Live + pending;
        TotalConnections = View.TotalConnections + pending;
    }
}
