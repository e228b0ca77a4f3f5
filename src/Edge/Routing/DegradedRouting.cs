using System.Collections.Concurrent;
using WsOrleans.Backends;
using WsOrleans.Balancing;
using WsOrleans.Edge.Connections;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Routing;

/// <summary>
/// Routing while the cluster does not answer: the edge decides itself, from its last view of the pool (members,
/// health, drain, weights, the counts it last saw plus its own since), with the pool's own strategy, so hashing
/// picks the backend the cluster would and a sticky key goes where this edge last saw it bound. A capped backend
/// takes new connections from a degraded edge only up to what the cluster still counts for this edge, and the edge
/// sends no releases for the pool meanwhile (its next report carries them), so no cap is exceeded. Connections routed here are counted by the edge and reach the cluster with its next report.
/// A pool stays degraded until its view is read from the cluster again; then normal routing resumes.
/// </summary>
internal sealed partial class DegradedRouting(EdgeConnections connections, TimeProvider time, ILogger<DegradedRouting> logger)
{
    // Sticky bindings this edge has seen, per pool; bounded so a flood of keys cannot grow it without end.
    private const int MaxBindings = 100_000;

    private readonly ConcurrentDictionary<string, PoolSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalPool> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Degradation> _degraded = new(StringComparer.Ordinal);

    /// <summary>Pools this edge routes by itself now, with since when and why.</summary>
    public IReadOnlyDictionary<string, Degradation> Degraded => _degraded;

    /// <summary>Whether <paramref name="pool"/> is routed by this edge alone now.</summary>
    public bool IsDegraded(string pool) => _degraded.ContainsKey(pool);

    /// <summary>Keeps a pool's view, read from the cluster; the cluster answered, so the pool is no longer degraded.</summary>
    public void Keep(PoolStatus status, int liveEdges)
    {
        var name = status.Settings.Name;
        var own = connections.Backends.Where(b => b.Pool == name).ToDictionary(b => b.BackendId, b => b.Live, StringComparer.Ordinal);
        _snapshots[name] = new PoolSnapshot(status, liveEdges, own, time.GetUtcNow());
        if (_degraded.TryRemove(name, out var degradation))
        {
            connections.SendReleases(name);
            Log.Resumed(logger, name, degradation.Decisions, (time.GetUtcNow() - degradation.Since).TotalSeconds);
        }
    }

    /// <summary>Remembers where the cluster bound a sticky key, for when it does not answer.</summary>
    public void Remember(PoolRoute pool, string? key, string backendId)
    {
        if (key is not null && _snapshots.TryGetValue(pool.Name, out var snapshot) && snapshot.Status.Settings.Strategy == StrategyNames.Sticky)
        {
            var local = Local(snapshot);
            lock (local)
            {
                if (local.Bindings.Count < MaxBindings || local.Bindings.ContainsKey(key))
                {
                    local.Bindings[key] = backendId;
                }
            }
        }
    }

    /// <summary>
    /// Routes a request of <paramref name="pool"/> without the cluster; null when the pool turns degraded routing
    /// off or the edge has no view of it yet (the caller answers 503).
    /// </summary>
    public RouteResult? Route(PoolRoute pool, string? key, IReadOnlyList<string>? tried, string? preferred, string reason)
    {
        if (!_snapshots.TryGetValue(pool.Name, out var snapshot) || !snapshot.Status.Settings.DegradedRouting)
        {
            return null;
        }

        var degradation = _degraded.GetOrAdd(pool.Name, static (name, state) =>
        {
            Log.Degraded(state.logger, name, state.reason);
            state.connections.HoldReleases(name);
            return new Degradation(state.now, state.reason);
        }, (logger, connections, reason, now: time.GetUtcNow()));
        Interlocked.Increment(ref degradation.Decisions);

        var local = Local(snapshot);
        lock (local)
        {
            var candidates = Candidates(snapshot, tried, out var refusal);
            if (candidates.Count == 0)
            {
                return RouteResult.Refused(refusal, snapshot.Status.Version);
            }

            var chosen = candidates.FirstOrDefault(c => c.Id == preferred)
                ?? (snapshot.Status.Settings.Strategy == StrategyNames.Sticky && key is not null && local.Bindings.TryGetValue(key, out var bound)
                    ? candidates.FirstOrDefault(c => c.Id == bound)
                    : null)
                ?? local.Strategy.Pick(key, candidates);
            if (snapshot.Status.Settings.Strategy == StrategyNames.Sticky && key is not null && local.Bindings.Count < MaxBindings)
            {
                local.Bindings[key] = chosen.Id;
            }

            var address = snapshot.Status.Backends.First(b => b.Id == chosen.Id).Address;
            return new RouteResult(RouteOutcome.Routed, chosen.Id, address, snapshot.Status.Version);
        }
    }

    /// <summary>The backends that may take a new connection by this edge's view, with the counts as they stand now.</summary>
    private List<BackendEntry> Candidates(PoolSnapshot snapshot, IReadOnlyList<string>? tried, out RouteOutcome refusal)
    {
        refusal = RouteOutcome.NoBackends;
        var candidates = new List<BackendEntry>(snapshot.Status.Backends.Length);
        foreach (var backend in snapshot.Status.Backends)
        {
            if (tried?.Contains(backend.Id) == true)
            {
                continue;
            }

            var own = connections.Find(snapshot.Status.Settings.Name, backend.Id);
            var ownNow = own?.Live ?? 0;
            RouteOutcome? refused =
                backend.AdminState != BackendAdminState.Active ? RouteOutcome.AllUnavailable
                : backend.Health == BackendHealth.Unhealthy ? RouteOutcome.AllUnhealthy
                : backend.MaxConnections > 0 && ownNow >= (own?.CountedByCluster ?? 0) ? RouteOutcome.AllFull
                : null;
            if (refused is { } reason)
            {
                refusal = reason > refusal ? reason : refusal;
                continue;
            }

            var live = backend.Connections + ownNow - snapshot.OwnLive.GetValueOrDefault(backend.Id);
            candidates.Add(new BackendEntry(backend.Id) { Weight = backend.Weight, Live = Math.Max(0, live) });
        }

        return candidates;
    }

    private LocalPool Local(PoolSnapshot snapshot)
    {
        var settings = snapshot.Status.Settings;
        var local = _local.GetOrAdd(settings.Name, _ => new LocalPool(BalancingStrategies.Create(settings, time)));
        if (local.Strategy.Name != settings.Strategy)
        {
            local = _local[settings.Name] = new LocalPool(BalancingStrategies.Create(settings, time));
        }

        return local;
    }

    /// <summary>Since when and why a pool is routed by this edge alone, and how many decisions it made so.</summary>
    internal sealed class Degradation(DateTimeOffset since, string reason)
    {
        public long Decisions;

        public DateTimeOffset Since { get; } = since;

        public string Reason { get; } = reason;
    }

    private sealed class LocalPool(IBalancingStrategy strategy)
    {
        public IBalancingStrategy Strategy { get; } = strategy;

        public Dictionary<string, string> Bindings { get; } = new(StringComparer.Ordinal);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Routing.Degraded, Level = LogLevel.Warning, Message = "Pool {Pool} is routed by this edge alone, from its last view of the pool: {Reason}")]
        public static partial void Degraded(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = EventIds.Routing.Resumed, Level = LogLevel.Information, Message = "Pool {Pool} is routed by the cluster again, after {Decisions} decisions this edge made alone over {Seconds:0.#} s")]
        public static partial void Resumed(ILogger logger, string pool, long decisions, double seconds);
    }
}
