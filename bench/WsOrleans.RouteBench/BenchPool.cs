using System.Collections.Immutable;
using WsOrleans.Backends;
using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Pools;
using WsOrleans.Routing;
using WsOrleans.RouteBench.Running;

namespace WsOrleans.RouteBench;

/// <summary>A pool the benchmark seeds (one per strategy) and the connections routed through it so far.</summary>
internal sealed class BenchPool : IDisposable
{
    public BenchPool(string strategy, int backends)
    {
        Strategy = strategy;
        Name = $"bench-{strategy.ToLowerInvariant()}";
        BackendIds = [.. Enumerable.Range(1, backends).Select(i => $"b{i}")];
        Definition = new PoolDefinition(
            // Nothing listens at these addresses, and none need to: the benchmark measures routing decisions. With
            // health checks (the default) they turned unhealthy a few seconds in, and every decision was a refusal.
            new PoolSettings { Name = Name, Path = $"/{Name}", Strategy = strategy, HealthCheck = new HealthCheckSettings { Mode = HealthCheckMode.None } },
            [.. BackendIds.Select((id, i) => new BackendSettings { Id = id, Address = $"ws://127.0.0.1:{5001 + i}" })]);
    }

    public string Name { get; }

    public string Strategy { get; }

    public ImmutableArray<string> BackendIds { get; }

    public PoolDefinition Definition { get; }

    private readonly Dictionary<int, BenchEdge> _edges = [];

    /// <summary>
    /// The benchmark's edge for the callers of one silo (or gateway), <paramref name="index"/>: one per silo, kept
    /// over all runs on this pool (stopped with <see cref="Dispose"/>), as each numbers its own releases and reservations.
    /// </summary>
    public BenchEdge Edge(int index, IGrainFactory grains)
    {
        if (!_edges.TryGetValue(index, out var edge))
        {
            _edges[index] = edge = new BenchEdge(grains, Name, BackendIds, $"routebench-edge-{index}");
        }

        return edge;
    }

    private readonly Dictionary<int, CachedPoolRouter> _edgeRouters = [];

    /// <summary>How benchmark edge <paramref name="index"/> routes by itself: kept over all runs, as it numbers its admissions.</summary>
    public CachedPoolRouter EdgeRouter(int index, IGrainFactory grains)
    {
        if (!_edgeRouters.TryGetValue(index, out var router))
        {
            _edgeRouters[index] = router = CachedPoolRouter.ForEdge(grains.GetGrain<IPoolRouterGrain>(Name), grains, TimeProvider.System, NullLogger.Instance);
        }

        return router;
    }

    /// <summary>Connections routed through this pool since it was seeded, over all runs: what its totals must add up to.</summary>
    public long Routed { get; set; }

    /// <summary>Stops the edges' reports: their cluster is gone.</summary>
    public void Dispose()
    {
        foreach (var edge in _edges.Values)
        {
            edge.Dispose();
        }
    }
}
