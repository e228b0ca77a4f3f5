using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Pools;

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

    /// <summary>Whether the benchmark's edge has its lease on this pool's backends (taken once per cluster).</summary>
    public bool Leased { get; set; }

    /// <summary>Connections routed through this pool since it was seeded, over all runs: what its totals must add up to.</summary>
    public long Routed { get; set; }
}
