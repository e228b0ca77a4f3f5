using System.Collections.Immutable;

namespace WsOrleans.Pools;

/// <summary>
/// The cluster's list of pools and the paths they own (one grain, key 0). Edges read it to know
/// which path goes to which pool; routing grains publish to it when their settings change.
/// </summary>
[Alias("wsorleans.pool-registry")]
public interface IPoolRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or updates a pool's route. Fails when another pool owns the same path.</summary>
    [Alias("publish")]
    ValueTask Publish(PoolRoute route);

    /// <summary>Every pool's route.</summary>
    [Alias("routes"), ReadOnly]
    ValueTask<ImmutableArray<PoolRoute>> GetRoutes();
}
