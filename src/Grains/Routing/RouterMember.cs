using WsOrleans.Backends;
using WsOrleans.Balancing;

namespace WsOrleans.Routing;

/// <summary>
/// A router's view of one backend: the newest view it has (from the pool grain, or from the backend grain's last
/// answer to this router) plus the connections this router has asked for and not yet been answered about.
/// </summary>
internal sealed class RouterMember(BackendView view, IBackendGrain grain)
{
    private int _inFlight;

    public BackendEntry Entry { get; } = new(view.Settings.Id) { Weight = view.Settings.Weight, Live = view.Live };

    public IBackendGrain Grain { get; } = grain;

    public BackendView View { get; private set; } = view;

    public DateTimeOffset? RampStarted { get; private set; }

    public string Id => Entry.Id;

    /// <summary>Why the view says this backend cannot take a new connection; the backend grain has the last word.</summary>
    public RouteOutcome? Refusal(bool bound) => AdmissionRules.Refusal(View, Entry.Live, View.Rebuilding, bound);

    /// <summary>Takes the pool grain's member, or a backend grain's answer: the newer view wins.</summary>
    public void Apply(BackendView view)
    {
        if (!View.IsNewerThan(view))
        {
            View = view;
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
        _inFlight++;
        Recount();
    }

    /// <summary>The backend grain answered (or the call failed): its view, when there is one, now counts the connection.</summary>
    public void Answered(BackendView? view)
    {
        _inFlight--;
        if (view is not null)
        {
            Apply(view);
        }

        Recount();
    }

    private void Recount() => Entry.Live = View.Live + _inFlight;
}
