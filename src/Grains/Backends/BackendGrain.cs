using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WsOrleans.Pools;

namespace WsOrleans.Backends;

/// <inheritdoc cref="IBackendGrain"/>
/// <remarks>
/// Live counts are kept in memory only: they describe sockets that exist now. The grain is kept
/// alive so idle long-lived tunnels are not forgotten.
/// </remarks>
[KeepAlive]
internal sealed partial class BackendGrain(
    [PersistentState("backend", StorageNames.Configuration)] IPersistentState<BackendState> state,
    TimeProvider time,
    IOptions<CountRebuildOptions> rebuild,
    ILogger<BackendGrain> logger)
    : Grain, IBackendGrain
{
    /// <summary>The most often a change of counts is pushed to the routing grain.</summary>
    internal static readonly TimeSpan CountPushInterval = TimeSpan.FromMilliseconds(5);

    private readonly Dictionary<string, long> _liveByEdge = new(StringComparer.Ordinal);
    private IGrainTimer? _countPush;
    private IPoolGrain _pool = null!;
    private long _live;
    private long _total;
    private Guid _reservationEpoch;
    private long _reservationsReceived;
    private long _version;
    private DateTimeOffset? _emptySince;
    private bool _rebuilding;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pool = GrainFactory.GetGrain<IPoolGrain>(BackendKey.Parse(this.GetPrimaryKeyString()).Pool);
        if (state.State.Settings is not null)
        {
            // A new activation's views must outrank the last one's, whatever it was.
            state.State.Incarnation++;
            await state.WriteStateAsync(cancellationToken);

            // The counts of the last activation were lost with it (a silo died): until the edges' reports have
            // rebuilt them, a capped backend takes nothing, or the routing grain would fill it on a count of zero.
            _rebuilding = true;
            Log.CountsRebuilding(logger, this.GetPrimaryKeyString(), state.State.Incarnation, rebuild.Value.RebuildTime.TotalSeconds);
            this.RegisterGrainTimer(CountsRebuiltAsync, new GrainTimerCreationOptions(rebuild.Value.RebuildTime, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });

            // Routers and the status learn it at once, not with the next change of counts.
            Push();

            // A first estimate from the edges' heartbeats, so least connections does not fill this backend on a count
            // of zero while the reports come in (it runs between this grain's turns, like any task started here).
            _ = CountFromHeartbeatsAsync();
        }
    }

    public async ValueTask<BackendView> Configure(BackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (state.State.Settings != settings || state.State.Retired)
        {
            if (state.State.Retired)
            {
                // Added back: a new member, whatever an operator said about the old one.
                state.State.AdminState = BackendAdminState.Active;
                state.State.CloseBy = null;
            }

            if (state.State.Settings?.Address != settings.Address)
            {
                ForgetHealth();
            }

            state.State.Settings = settings;
            state.State.Retired = false;
            await state.WriteStateAsync();
            _version++;
        }

        return View();
    }

    public async ValueTask<BackendView> SetAdminState(BackendAdminState adminState, DateTimeOffset? closeBy = null)
    {
        closeBy = adminState == BackendAdminState.Draining ? closeBy : null;
        if (state.State.AdminState != adminState || state.State.CloseBy != closeBy)
        {
            state.State.AdminState = adminState;
            state.State.CloseBy = closeBy;
            await state.WriteStateAsync();
            _emptySince = closeBy is not null && _live <= 0 ? time.GetUtcNow() : null;
            _version++;
        }

        return View();
    }

    public ValueTask<BackendView> GetView() => ValueTask.FromResult(View());

    public ValueTask<ImmutableDictionary<string, long>> GetLiveByEdge() => ValueTask.FromResult(_liveByEdge.ToImmutableDictionary(StringComparer.Ordinal));

    public ValueTask Reserve(string edgeId, Guid poolEpoch, long sequence)
    {
        var first = poolEpoch != _reservationEpoch || _reservationsReceived == 0;
        if (poolEpoch != _reservationEpoch)
        {
            _reservationEpoch = poolEpoch;
            _reservationsReceived = 0;
        }

        _reservationsReceived++;
        _total++;
        if (CountedByReport(edgeId, poolEpoch, sequence))
        {
            // The edge's report already counted it: only the routing grain must learn it arrived.
            _version++;
            PushCounts();
            return ValueTask.CompletedTask;
        }

        Count(edgeId, +1);

        // The routing grain counted this reservation when it made it, so there is nothing to push,
        // except for the first one this activation counts: a view pushed before it (a release
        // that overtook it) made the routing grain settle it as lost; this view says it arrived.
        if (first)
        {
            PushCounts();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask Retire()
    {
        if (state.State.Settings is not null && !state.State.Retired)
        {
            state.State.Retired = true;
            await state.WriteStateAsync();
        }

        await ForgetIfRetiredAndIdle();
    }

    private async Task ForgetIfRetiredAndIdle()
    {
        if (state.State.Retired && _live <= 0)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
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
        if (state.State.CloseBy is not null)
        {
            // A drain with a deadline: when its last connection ended, for whoever waits for it to be empty.
            _emptySince = _live <= 0 ? _emptySince ?? time.GetUtcNow() : null;
        }
    }

    private void Push()
    {
        _countPush?.Dispose();
        _countPush = null;
        if (state.State is { Settings: not null, Retired: false })
        {
            _pool.OnBackendChanged(View()).Forget();
            MarkPushed();
        }
    }

    /// <summary>
    /// Pushes a change of counts when the last push is older than <see cref="CountPushInterval"/>; otherwise a
    /// timer pushes it (with whatever else changed meanwhile) once that much has passed, unless a later change
    /// pushes first. Counts change with every connection; pushing each change put one message per connection into
    /// the routing grain's queue, where at hundreds of thousands of handshakes a second they queued faster than one
    /// activation could take them (bench/ROUTING.md). The timer only ends a burst: it waits in this grain's queue,
    /// so while changes keep arriving, they push.
    /// </summary>
    private void PushCounts()
    {
        var since = time.GetElapsedTime(_lastPush);
        if (since >= CountPushInterval)
        {
            Push();
            return;
        }

        _countPush ??= this.RegisterGrainTimer(
            () =>
            {
                Push();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(CountPushInterval - since, Timeout.InfiniteTimeSpan) { KeepAlive = false });
    }

    private BackendView View() => new(
        state.State.Settings ?? new BackendSettings { Id = BackendKey.Parse(this.GetPrimaryKeyString()).BackendId, Address = "" },
        _health.Health,
        state.State.AdminState,
        _live,
        _total,
        _reservationEpoch,
        _reservationsReceived,
        state.State.Incarnation,
        _version,
        _lastCheck,
        _health.ConsecutiveFailures,
        state.State.CloseBy,
        _emptySince,
        _rebuilding);
}
