using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>Reads the whole cluster's status from the grains, so any edge answers for all of them.</summary>
internal sealed class StatusReader(IGrainFactory grains)
{
    public async Task<StatusDocument> ReadAsync(CancellationToken cancellationToken)
    {
        var routes = await grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes().AsTask().WaitAsync(cancellationToken);
        var pools = await Task.WhenAll(routes.Select(r => grains.GetGrain<IPoolGrain>(r.Name).GetStatus().AsTask()));
        return new StatusDocument([.. pools.OfType<PoolStatus>().Select(PoolStatusDocument.From)]);
    }
}
