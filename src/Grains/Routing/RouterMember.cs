using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Balancing;

namespace WsOrleans.Routing;

/// <summary>
/// A router's (a silo's, or an edge's) view of one backend: the newest view it has (the pool's, or a capped backend
/// grain's answer to its last ask) plus the connections this router chose for it that that view does not count yet:
/// asked of the backend grain and not answered, admitted here and not yet counted there, or counted there and not yet
/// in the pool's view.
/// </summary>
internal sealed class RouterMember(BackendView view, IBackendGrain grain)
{
    // This router's numbering of the connections it admits here alone, per edge (docs/accounting.md).
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly Dictionary<string, long> _admittedByEdge = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unsentByEdge = new(StringComparer.Ordinal);
    // Counts the backend grain has answered with that the view (the pool's) does not have yet: (its view then, how many).
    private readonly List<(BackendView CountedBy, int Count)> _countedNotInView = [];
    private int _notInView;
    private double _ownScale = 1;
    private int _asking;
    private int _unsent;
    private int _sending;

    public BackendEntry Entry { get; } = new(view.Settings.Id) { Weight = view.Settings.Weight, Live = view.Live };

    public IBackendGrain Grain { get; } = grain;

    public BackendView View { get; private set; } = view;

    public DateTimeOffset? RampStarted { get; private set; }

    public string Id => Entry.Id;

    /// <summary>
    /// Whether this router admits connections here without asking the backend grain first: it has no cap to keep, so
    /// the view's word (active, healthy) is enough, and the backend grain is told afterwards, many at a time.
    /// </summary>
    public bool AdmitsAlone => View.Settings.MaxConnections <= 0;

    /// <summary>Whether connections admitted here are on their way to the backend grain.</summary>
    public bool Sending => _sending > 0;

    /// <summary>Why the view says this backend cannot take a new connection; the backend grain has the last word.</summary>
    public RouteOutcome? Refusal(bool bound) => AdmissionRules.Refusal(View, Entry.Live, View.Rebuilding, bound);

    /// <summary>Takes the pool grain's member, or a backend grain's answer: the newer view wins.</summary>
    public void Apply(BackendView view)
    {
        if (!View.IsNewerThan(view))
        {
            View = view;
            for (var i = _countedNotInView.Count - 1; i >= 0; i--)
            {
                if (!_countedNotInView[i].CountedBy.IsNewerThan(view))
                {
                    _notInView -= _countedNotInView[i].Count;
                    _countedNotInView.RemoveAt(i);
                }
            }

            if (Entry.Weight != view.Settings.Weight)
            {
                Entry.Weight = view.Settings.Weight;
            }

            Recount();
        }
    }

    /// <summary>Follows the pool grain's slow start of this member (<see cref="BackendEntry.RampAt"/>); full weight without one.</summary>
    public void Ramp(DateTimeOffset? started, DateTimeOffset now, TimeSpan window)
    {
        RampStarted = started;
        if (started is not { } from || !Entry.RampAt(from, now, window))
        {
            Entry.Weight = View.Settings.Weight;
        }
    }

    /// <summary>A reservation asked of the backend grain; counted until its answer comes.</summary>
    public void Asking()
    {
        _asking++;
        Recount();
    }

    /// <summary>The backend grain answered (or the call failed): its view, when there is one, now counts the connection.</summary>
    public void Answered(BackendView? view)
    {
        _asking--;
        if (view is not null)
        {
            Apply(view);
        }

        Recount();
    }

    /// <summary>Admits one connection of <paramref name="edgeId"/> here (<see cref="AdmitsAlone"/>): its number, for the edge's reports.</summary>
    public ReservationMark Admit(string edgeId)
    {
        var sequence = _admittedByEdge[edgeId] = _admittedByEdge.GetValueOrDefault(edgeId) + 1;
        _unsentByEdge[edgeId] = _unsentByEdge.GetValueOrDefault(edgeId) + 1;
        _unsent++;
        Recount();
        return new ReservationMark(_epoch, sequence);
    }

    /// <summary>
    /// The connections admitted here since the last send, per edge (each edge's are consecutive numbers), now on their
    /// way; empty when there are none, and then nothing is being sent.
    /// </summary>
    public ImmutableArray<AdmittedConnections> TakeUnsent()
    {
        if (_unsent == 0)
        {
            return [];
        }

        var admitted = ImmutableArray.CreateBuilder<AdmittedConnections>(_unsentByEdge.Count);
        foreach (var (edgeId, count) in _unsentByEdge)
        {
            admitted.Add(new AdmittedConnections(edgeId, _epoch, _admittedByEdge[edgeId] - count + 1, count));
        }

        _unsentByEdge.Clear();
        _sending = _unsent;
        _unsent = 0;
        return admitted.MoveToImmutable();
    }

    /// <summary>
    /// The backend grain answered a send with <paramref name="view"/>, which counts them; or the call failed (null), and
    /// the edges' next reports count them instead. The answer is not taken as this backend's view: it would be fresher
    /// than the other backends' (it has every decider's admissions here, theirs only this one's), and with several
    /// deciders that tilts them all away from it at once. So they stay counted here until the pool's view has them.
    /// </summary>
    public void Sent(BackendView? view)
    {
        if (view is not null && view.IsNewerThan(View))
        {
            _countedNotInView.Add((view, _sending));
            _notInView += _sending;
        }

        _sending = 0;
        Recount();
    }

    /// <summary>
    /// Counts this router's own admissions not yet in the view as <paramref name="scale"/> each: the other routers
    /// deciding from the same view are taken to be admitting here in proportion (<see cref="CachedPoolRouter"/>).
    /// </summary>
    public void ScaleOwn(double scale)
    {
        _ownScale = scale;
        Recount();
    }

    private void Recount() =>
        Entry.Live = View.Live + _asking + (long)Math.Round((_unsent + _sending + _notInView) * _ownScale, MidpointRounding.AwayFromZero);
}
