using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Edge.Routing;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Edges;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>Reads the whole cluster's status from the grains, so any edge answers for all of them.</summary>
internal sealed class StatusReader(IGrainFactory grains, DegradedRouting degraded, WsOrleansSettings settings)
{
    /// <summary>
    /// The cluster's status; when the cluster does not answer in time, what this edge knows: which pools it
    /// routes by itself, and a problem that says why the rest is missing.
    /// </summary>
    public async Task<StatusDocument> ReadAsync(CancellationToken cancellationToken)
    {
        StatusDocument document;
        try
        {
            document = await ReadClusterAsync(cancellationToken).WaitAsync(ClusterTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            document = new StatusDocument(null, [], [], [$"cluster: it did not answer this edge within {ClusterTimeout.TotalSeconds:0.#} s ({ExceptionText.FirstLine(e)}); pools, backends and edges are missing"]);
        }

        var routedAlone = degraded.Degraded.Select(d => new DegradedPoolDocument(d.Key, d.Value.Since, d.Value.Reason, Interlocked.Read(ref d.Value.Decisions))).ToList();
        return routedAlone.Count == 0 ? document : document with { Degraded = routedAlone };
    }

    /// <summary>As long as a route may wait, twice: /status answers while the cluster does not.</summary>
    private TimeSpan ClusterTimeout => settings.Edge.RouteTimeout * 2;

    private async Task<StatusDocument> ReadClusterAsync(CancellationToken cancellationToken)
    {
        var silos = ReadSilosAsync(cancellationToken);
        var edges = ReadEdgesAsync(cancellationToken);
        var pools = ReadPoolsAsync(cancellationToken);
        await Task.WhenAll(silos, edges, pools);
        var (siloList, problem) = silos.Result;
        return new StatusDocument(siloList, [.. edges.Result.Select(e => EdgeStatusDocument.From(e, pools.Result))], pools.Result, problem is null ? null : [problem]);
    }

    /// <summary>
    /// The silos as the cluster's membership lists them. Membership is read from the membership
    /// table (Redis in Redis mode): while that is down, the rest of the status still answers and
    /// says why the silos are missing, since an operator needs it most then.
    /// </summary>
    private async Task<(IReadOnlyList<SiloStatusDocument>? Silos, string? Problem)> ReadSilosAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
            return ([.. hosts.Where(s => s.Status != SiloStatus.Dead).OrderBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal).Select(SiloStatusDocument.From)], null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, $"silos: the cluster's membership could not be read ({ExceptionText.FirstLine(e)})");
        }
    }

    /// <summary>Every pool the registry lists, by name.</summary>
    public async Task<IReadOnlyList<PoolStatusDocument>> ReadPoolsAsync(CancellationToken cancellationToken)
    {
        var routes = await grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes().AsTask().WaitAsync(cancellationToken);
        var pools = await Task.WhenAll(routes.Select(r => grains.GetGrain<IPoolGrain>(r.Name).GetStatus().AsTask()));
        return await Task.WhenAll(pools.OfType<PoolStatus>().Select(pool => WithEdgesAsync(pool, cancellationToken)));
    }

    /// <summary>One pool; null when the cluster has no pool of that name.</summary>
    public async Task<PoolStatusDocument?> ReadPoolAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is not { } pool)
        {
            return null;
        }

        return await pool.GetStatus().AsTask().WaitAsync(cancellationToken) is { } status
            ? await WithEdgesAsync(status, cancellationToken)
            : null;
    }

    private Task<ImmutableArray<EdgeStatus>> ReadEdgesAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IEdgeRegistryGrain>(0).GetEdges().AsTask().WaitAsync(cancellationToken);

    /// <summary>
    /// Adds each edge's live connections to each backend, as the backend grains count them now (the same
    /// counts the edges' rows add up, so the two always agree).
    /// </summary>
    private async Task<PoolStatusDocument> WithEdgesAsync(PoolStatus pool, CancellationToken cancellationToken)
    {
        var document = PoolStatusDocument.From(pool);
        var byEdge = await Task.WhenAll(document.Backends.Select(b =>
            grains.GetGrain<IBackendGrain>(BackendKey.Format(document.Name, b.Id)).GetLiveByEdge().AsTask().WaitAsync(cancellationToken)));
        return document with
        {
            Backends = [.. document.Backends.Zip(byEdge, (backend, live) => backend with
            {
                ConnectionsByEdge = live.Where(e => e.Value != 0).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            })],
        };
    }

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
