using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.RouteBench.Running;

namespace WsOrleans.RouteBench;

/// <summary>A pool the benchmark seeds (one per strategy) and the connections routed through it so far.</summary>
internal sealed class BenchPool
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

    private readonly Dictionary<int, BackendReleaser> _edges = [];

    /// <summary>
    /// The benchmark's edge for the callers of one silo (or gateway), <paramref name="index"/>: one per silo, kept
    /// over all runs on this pool, as each numbers its own releases and reservations.
    /// </summary>
    public BackendReleaser Edge(int index, IGrainFactory grains)
    {
        if (!_edges.TryGetValue(index, out var edge))
        {
            _edges[index] = edge = new BackendReleaser(grains, Name, BackendIds, $"routebench-edge-{index}");
        }

        return edge;
    }

    /// <summary>Connections routed through this pool since it was seeded, over all runs: what its totals must add up to.</summary>
    public long Routed { get; set; }
}
