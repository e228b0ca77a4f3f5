using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WsOrleans.Backends;
using WsOrleans.Balancing;
using WsOrleans.Logging;
using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <inheritdoc cref="IPoolGrain"/>
/// <remarks>
/// <see cref="Route"/> is the hot path: it picks from memory, counts the reservation at once (so a
/// burst of handshakes spreads instead of piling onto one backend) and tells the backend grain
/// one-way. It allocates nothing but the one-way message.
/// </remarks>
[KeepAlive]
internal sealed partial class PoolGrain(
    [PersistentState("pool", StorageNames.Configuration)] IPersistentState<PoolState> state,
    TimeProvider time,
    IOptions<CountRebuildOptions> rebuild,
    ILogger<PoolGrain> logger)
    : Grain, IPoolGrain
{
    private readonly List<PoolMember> _members = [];
    private readonly Dictionary<string, PoolMember> _membersById = new(StringComparer.Ordinal);
    private readonly List<BackendEntry> _candidates = [];
    private IBalancingStrategy? _strategy;
    private bool _awaitingCounts;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Settings is { } settings)
        {
            if (state.State.AffinitySigningKey is null)
            {
                // A pool stored before affinity cookies existed: keep the key it now gets across restarts.
                SigningKey();
                await state.WriteStateAsync(cancellationToken);
            }

            _strategy = BalancingStrategies.Create(settings, time);
            var views = await Task.WhenAll(state.State.Members.Select(id => BackendGrain(id).GetView().AsTask()));
            SetMembers(views.Select(NewMember));
            AwaitCounts();
            WatchHealth();
            ResumeMoving();
        }
    }

    /// <summary>
    /// This pool was routed before this activation (its silo died, or the cluster restarted): for as long as the
    /// edges' reports take to arrive, capped backends take nothing, since what the lost activation admitted may not
    /// be in their counts yet.
    /// </summary>
    private void AwaitCounts()
    {
        _awaitingCounts = true;
        _members.ForEach(m => m.AwaitingCounts = true);
        this.RegisterGrainTimer(
            () =>
            {
                _awaitingCounts = false;
                _members.ForEach(m => m.AwaitingCounts = false);
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(rebuild.Value.RebuildTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    public ValueTask<RouteResult> Route(RouteRequest request)
    {
        if (_strategy is null)
        {
            return ValueTask.FromResult(RouteResult.Refused(RouteOutcome.UnknownPool, 0));
        }

        UpdateRamps();
        if (request.Preferred is { } preferred && _membersById.TryGetValue(preferred, out var bound)
            && bound.TakesBoundRequests && !IsExcluded(bound, request.Excluded))
        {
            return ValueTask.FromResult(Reserve(bound, request.EdgeId));
        }

        _candidates.Clear();
        var refusal = RouteOutcome.NoBackends;
        foreach (var member in _members)
        {
            if (IsExcluded(member, request.Excluded))
            {
                continue;
            }

            if (member.Refusal is { } reason)
            {
                refusal = reason > refusal ? reason : refusal;
            }
            else
            {
                _candidates.Add(member.Entry);
            }
        }

        if (_candidates.Count == 0)
        {
            return ValueTask.FromResult(RouteResult.Refused(refusal, state.State.Version));
        }

        return ValueTask.FromResult(Reserve(_membersById[_strategy.Pick(request.Key, _candidates).Id], request.EdgeId));
    }

    /// <summary>Counts a connection of <paramref name="edgeId"/> on <paramref name="chosen"/> and tells its backend grain one-way.</summary>
    private RouteResult Reserve(PoolMember chosen, string edgeId)
    {
        var reservation = chosen.Reserve(edgeId);
        chosen.Grain.Reserve(edgeId, chosen.Epoch, reservation).Forget();
        return new RouteResult(RouteOutcome.Routed, chosen.Id, chosen.View.Settings.Address, state.State.Version, new(chosen.Epoch, reservation));
    }

    public async ValueTask Seed(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Settings.Name != Name)
        {
            throw new ArgumentException($"Pool '{Name}' cannot be seeded with the definition of pool '{definition.Settings.Name}'.", nameof(definition));
        }

        if (definition.Equals(state.State.Seeded))
        {
            // Nothing changed; the registry may still have lost the route (memory state on a dead silo).
            await Registry.Publish(RouteOf(state.State.Settings!, state.State.Version));
            return;
        }

        await Registry.Publish(RouteOf(definition.Settings, state.State.Version + 1));

        var views = await Task.WhenAll(definition.Backends.Select(b => BackendGrain(b.Id).Configure(b).AsTask()));
        var members = views.Select(view => _membersById.GetValueOrDefault(view.Settings.Id) ?? NewMember(view)).ToList();
        var added = members.Where(m => !_membersById.ContainsKey(m.Id)).ToList();
        foreach (var (member, view) in members.Zip(views))
        {
            Apply(member, view);
        }

        foreach (var retired in _members.Except(members))
        {
            await retired.Grain.Retire();
        }

        SetMembers(members);

        var previous = state.State.Settings;
        state.State.Settings = definition.Settings;
        state.State.Members = [.. _members.Select(m => m.Id)];
        state.State.Seeded = definition;
        state.State.Version++;
        await state.WriteStateAsync();
        if (previous is not null)
        {
            // Backends a changed definition adds join a pool that is serving: they ramp up.
            added.ForEach(BeginSlowStart);
        }

        if (_strategy is null || previous?.Strategy != definition.Settings.Strategy || previous.Affinity != definition.Settings.Affinity)
        {
            _strategy = BalancingStrategies.Create(definition.Settings, time);
        }

        WatchHealth();
        if (definition.Settings.Rebalance.Enabled)
        {
            StartMoving();
        }

        Log.Seeded(logger, Name, definition.Settings.Strategy, _members.Count, state.State.Version);
    }

    public async ValueTask Repair(PoolDefinition definition)
    {
        if (state.State.Settings is { } settings)
        {
            await Registry.Publish(RouteOf(settings, state.State.Version));
        }
        else
        {
            await Seed(definition);
        }
    }

    public ValueTask<PoolStatus?> GetStatus() => ValueTask.FromResult(Status());

    public async ValueTask<AdminResult> UpsertBackend(BackendSettings backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (state.State.Settings is null)
        {
            return Answer(AdminOutcome.UnknownPool);
        }

        var member = _membersById.GetValueOrDefault(backend.Id);
        var previous = member?.View.Settings;
        if (previous == backend)
        {
            return Answer(AdminOutcome.Unchanged);
        }

        if (_members.Any(m => m.Id != backend.Id && string.Equals(m.View.Settings.Address, backend.Address, StringComparison.OrdinalIgnoreCase)))
        {
            return Answer(AdminOutcome.AddressInUse);
        }

        var view = await BackendGrain(backend.Id).Configure(backend);
        if (member is null)
        {
            var joined = NewMember(view);
            SetMembers([.. _members, joined]);
            BeginSlowStart(joined);
        }
        else
        {
            Apply(member, view);
        }

        await CommitAsync();
        WatchHealth();
        if (previous is not null && (previous.MaxConnections != backend.MaxConnections || previous.Address != backend.Address))
        {
            // A new cap or address must be what every router routes by.
            await RoutersCaughtUpAsync();
        }

        Log.BackendUpserted(logger, Name, backend.Id, backend.Address, backend.Weight, backend.MaxConnections, state.State.Version);
        return Answer(member is null ? AdminOutcome.Added : AdminOutcome.Changed);
    }

    public async ValueTask<AdminResult> RemoveBackend(string backendId, bool force)
    {
        if (state.State.Settings is null)
        {
            return Answer(AdminOutcome.UnknownPool);
        }

        if (!_membersById.TryGetValue(backendId, out var member))
        {
            return Answer(AdminOutcome.UnknownBackend);
        }

        // Live includes reservations the backend grain has not counted yet: a handshake in flight is a connection.
        var live = member.Entry.Live;
        if (live > 0 && !force)
        {
            return Answer(AdminOutcome.HasConnections);
        }

        await member.Grain.Retire();
        SetMembers([.. _members.Where(m => m != member)]);
        await CommitAsync();
        await RoutersCaughtUpAsync();
        Log.BackendRemoved(logger, Name, backendId, live, state.State.Version);
        return Answer(AdminOutcome.Removed);
    }

    public async ValueTask<AdminResult> SetAdminState(string backendId, BackendAdminState adminState)
    {
        if (state.State.Settings is null)
        {
            return Answer(AdminOutcome.UnknownPool);
        }

        if (!_membersById.TryGetValue(backendId, out var member))
        {
            return Answer(AdminOutcome.UnknownBackend);
        }

        if (member.View.AdminState == adminState)
        {
            return Answer(AdminOutcome.Unchanged);
        }

        // The backend grain owns and persists its admin state; the pool's own state does not change.
        Apply(member, await member.Grain.SetAdminState(adminState));
        if (adminState != BackendAdminState.Active)
        {
            await RoutersCaughtUpAsync();
        }

        Log.AdminStateSet(logger, Name, backendId, adminState);
        return Answer(AdminOutcome.Changed);
    }

    public async ValueTask<AdminResult> SetStrategy(StrategySettings strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (state.State.Settings is not { } previous)
        {
            return Answer(AdminOutcome.UnknownPool);
        }

        var settings = previous with { Strategy = strategy.Strategy, HashKey = strategy.HashKey, Affinity = strategy.Affinity };
        if (settings == previous)
        {
            return Answer(AdminOutcome.Unchanged);
        }

        // Both throw before anything changes.
        var created = BalancingStrategies.Create(settings, time);
        if ((settings.Strategy == StrategyNames.Hash && settings.HashKey is null) || (settings.Strategy == StrategyNames.Sticky && settings.Affinity?.Key is null))
        {
            throw new ArgumentException($"Pool '{Name}' cannot use the {settings.Strategy} strategy without its key (HashKey for Hash, Affinity for Sticky).", nameof(strategy));
        }

        state.State.Settings = settings;
        if (previous.Strategy != settings.Strategy || previous.Affinity != settings.Affinity)
        {
            _strategy = created;
        }

        await CommitAsync();
        Log.StrategySet(logger, Name, settings.Strategy, settings.RoutingKey?.ToString(), state.State.Version);
        return Answer(AdminOutcome.Changed);
    }

    public ValueTask OnBackendChanged(BackendView view)
    {
        if (_membersById.TryGetValue(view.Settings.Id, out var member))
        {
            Apply(member, view);
        }

        return ValueTask.CompletedTask;
    }

    private IPoolRegistryGrain Registry => GrainFactory.GetGrain<IPoolRegistryGrain>(0);

    private PoolStatus? Status() =>
        state.State.Settings is { } settings
            ? new PoolStatus(settings, state.State.Version, [.. _members.Select(m => m.Status())])
            : null;

    private AdminResult Answer(AdminOutcome outcome) => new(outcome, Status());

    /// <summary>
    /// Persists a run-time change of settings or members under a new version, and republishes the
    /// route with it: edges compare the version of each route answer with their table's, so the
    /// registry must hold the new one (and, after a strategy change, the key edges must now send).
    /// <see cref="PoolState.Seeded"/> stays as it is, so seeding the same configuration again keeps the change.
    /// </summary>
    private async Task CommitAsync()
    {
        try
        {
            state.State.Members = [.. _members.Select(m => m.Id)];
            state.State.Version++;
            await state.WriteStateAsync();
            await Registry.Publish(RouteOf(state.State.Settings!, state.State.Version));
        }
        catch
        {
            // Memory must not run ahead of storage: start again from what was persisted.
            DeactivateOnIdle();
            throw;
        }
    }

    private PoolRoute RouteOf(PoolSettings settings, int version) => new(
        Name, settings.Path, settings.RoutingKey, version, settings.BackendTls, settings.Admission, settings.Http,
        settings.Affinity is { Cookie: { } cookie, Ttl: var ttl } ? new CookieAffinity(cookie, ttl, SigningKey()) : null);

    /// <summary>The key that signs the pool's affinity cookies; made once per pool and kept in its state, so a restart keeps cookies valid.</summary>
    private string SigningKey() => state.State.AffinitySigningKey ??= NewSigningKey();

    private static string NewSigningKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private IBackendGrain BackendGrain(string backendId) =>
        GrainFactory.GetGrain<IBackendGrain>(BackendKey.Format(Name, backendId));

    private PoolMember NewMember(BackendView view) => new(view, BackendGrain(view.Settings.Id)) { AwaitingCounts = _awaitingCounts };

    /// <summary>Replaces the member list; its order (configuration order) is the order status and round robin follow.</summary>
    private void SetMembers(IEnumerable<PoolMember> members)
    {
        _members.Clear();
        _members.AddRange(members);
        _membersById.Clear();
        foreach (var member in _members)
        {
            _membersById.Add(member.Id, member);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Pools.Seeded, Level = LogLevel.Information, Message = "Pool {Pool} seeded: strategy {Strategy}, {Backends} backends, version {Version}")]
        public static partial void Seeded(ILogger logger, string pool, string strategy, int backends, int version);

        [LoggerMessage(EventId = EventIds.Pools.BackendUpserted, Level = LogLevel.Information, Message = "Pool {Pool}: backend {Backend} set to {Address}, weight {Weight}, max connections {MaxConnections}; version {Version}")]
        public static partial void BackendUpserted(ILogger logger, string pool, string backend, string address, int weight, int maxConnections, int version);

        [LoggerMessage(EventId = EventIds.Pools.BackendRemoved, Level = LogLevel.Information, Message = "Pool {Pool}: backend {Backend} removed with {Live} live connections; version {Version}")]
        public static partial void BackendRemoved(ILogger logger, string pool, string backend, long live, int version);

        [LoggerMessage(EventId = EventIds.Pools.AdminStateSet, Level = LogLevel.Information, Message = "Pool {Pool}: backend {Backend} is now {AdminState}")]
        public static partial void AdminStateSet(ILogger logger, string pool, string backend, BackendAdminState adminState);

        [LoggerMessage(EventId = EventIds.Pools.StrategySet, Level = LogLevel.Information, Message = "Pool {Pool}: strategy set to {Strategy} (key {Key}); version {Version}")]
        public static partial void StrategySet(ILogger logger, string pool, string strategy, string? key, int version);
    }
}
