using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>Reads the whole cluster's status from the grains, so any edge answers for all of them.</summary>
internal sealed class StatusReader(IGrainFactory grains)
{
    public async Task<StatusDocument> ReadAsync(CancellationToken cancellationToken) =>
        new(await ReadPoolsAsync(cancellationToken));

    /// <summary>Every pool the registry lists, by name.</summary>
    public async Task<IReadOnlyList<PoolStatusDocument>> ReadPoolsAsync(CancellationToken cancellationToken)
    {
        var routes = await grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes().AsTask().WaitAsync(cancellationToken);
        var pools = await Task.WhenAll(routes.Select(r => grains.GetGrain<IPoolGrain>(r.Name).GetStatus().AsTask()));
        return [.. pools.OfType<PoolStatus>().Select(PoolStatusDocument.From)];
    }

    /// <summary>One pool; null when the cluster has no pool of that name.</summary>
    public async Task<PoolStatusDocument?> ReadPoolAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken) is { } pool
            && await pool.GetStatus().AsTask().WaitAsync(cancellationToken) is { } status
            ? PoolStatusDocument.From(status)
            : null;

    /// <summary>
    /// The routing grain of the pool named <paramref name="name"/>, or null when the registry does not
    /// list it. Asking the registry first means no request, however made up its pool name, ever
    /// activates a routing grain for a pool that does not exist.
    /// </summary>
    public async Task<IPoolGrain?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var routes = await grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes().AsTask().WaitAsync(cancellationToken);
        return routes.Any(r => r.Name == name) ? grains.GetGrain<IPoolGrain>(name) : null;
    }
}
