using WsOrleans.Edges;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>Reads the whole cluster's status from the grains, so any edge answers for all of them.</summary>
internal sealed class StatusReader(IGrainFactory grains)
{
    public async Task<StatusDocument> ReadAsync(CancellationToken cancellationToken)
    {
        var silos = grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
        var edges = grains.GetGrain<IEdgeRegistryGrain>(0).GetEdges().AsTask().WaitAsync(cancellationToken);
        var pools = ReadPoolsAsync(cancellationToken);
        await Task.WhenAll(silos, edges, pools);

        var byBackend = edges.Result
            .SelectMany(e => e.Backends.Select(b => (Key: (b.Pool, b.BackendId), Edge: e.Id, b.Connections)))
            .ToLookup(x => x.Key, x => (x.Edge, x.Connections));
        return new StatusDocument(
            [.. silos.Result.Where(s => s.Status != SiloStatus.Dead).OrderBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal).Select(SiloStatusDocument.From)],
            [.. edges.Result.Select(EdgeStatusDocument.From)],
            [.. pools.Result.Select(pool => pool with
            {
                Backends = [.. pool.Backends.Select(b => b with
                {
                    ConnectionsByEdge = byBackend[(pool.Name, b.Id)].ToDictionary(x => x.Edge, x => x.Connections, StringComparer.Ordinal),
                })],
            })]);
    }

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
