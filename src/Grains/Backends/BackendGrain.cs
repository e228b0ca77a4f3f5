using WsOrleans.Pools;

namespace WsOrleans.Backends;

/// <inheritdoc cref="IBackendGrain"/>
/// <remarks>
/// Live counts are kept in memory only: they describe sockets that exist now, and edges re-report
/// them. The grain is kept alive so idle long-lived tunnels are not forgotten.
/// </remarks>
[KeepAlive]
internal sealed class BackendGrain(
    [PersistentState("backend", StorageNames.Configuration)] IPersistentState<BackendState> state,
    TimeProvider time)
    : Grain, IBackendGrain
{
    private readonly Dictionary<string, long> _liveByEdge = new(StringComparer.Ordinal);
    private IPoolGrain _pool = null!;
    private long _live;
    private long _total;
    private Guid _reservationEpoch;
    private long _reservationsApplied;

    // Starts from the clock so a new activation's views always outrank an old one's.
    private long _version;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pool = GrainFactory.GetGrain<IPoolGrain>(BackendKey.Parse(this.GetPrimaryKeyString()).Pool);
        _version = time.GetUtcNow().UtcTicks;
        return Task.CompletedTask;
    }

    public async ValueTask<BackendView> Configure(BackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (state.State.Settings != settings)
        {
            state.State.Settings = settings;
            await state.WriteStateAsync();
            _version++;
        }

        return View();
    }

    public ValueTask<BackendView> GetView() => ValueTask.FromResult(View());

    public ValueTask Reserve(string edgeId, Guid poolEpoch)
    {
        if (poolEpoch != _reservationEpoch)
        {
            _reservationEpoch = poolEpoch;
            _reservationsApplied = 0;
        }

        _reservationsApplied++;
        _total++;
        Count(edgeId, +1);

        // The routing grain counted this reservation when it made it: nothing to push.
        return ValueTask.CompletedTask;
    }

    public ValueTask Release(string edgeId)
    {
        Count(edgeId, -1);
        Push();
        return ValueTask.CompletedTask;
    }

    public async ValueTask Retire()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private void Count(string edgeId, long delta)
    {
        // A release can overtake its reservation (they come from different senders), so a
        // per-edge count may dip below zero for a moment; it is never clamped.
        var count = _liveByEdge.GetValueOrDefault(edgeId) + delta;
        if (count == 0)
        {
            _liveByEdge.Remove(edgeId);
        }
        else
        {
            _liveByEdge[edgeId] = count;
        }

        _live += delta;
        _version++;
    }

    private void Push()
    {
        if (state.State.Settings is not null)
        {
            _pool.OnBackendChanged(View()).Forget();
        }
    }

    private BackendView View() => new(
        state.State.Settings ?? new BackendSettings { Id = BackendKey.Parse(this.GetPrimaryKeyString()).BackendId, Address = "" },
        BackendHealth.Unknown,
        state.State.AdminState,
        _live,
        _total,
        _reservationEpoch,
        _reservationsApplied,
        _version);
}
