using System.Collections.Concurrent;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Routing;

/// <summary>
/// The pools this edge routes by itself (<c>WsOrleans:Edge:RouteLocally</c>): one <see cref="CachedPoolRouter"/> per
/// pool, whose view is read from the silo router this edge's calls reach. Admissions to uncapped backends are decided
/// here and numbered per edge process, so a handshake to one makes no grain call; the backend grains count them
/// afterwards, batched. Sticky and RoundRobin pools are still routed by the silo router, for every handshake.
/// </summary>
internal sealed class LocalPoolRouters(IGrainFactory grains, TimeProvider time, ILogger<CachedPoolRouter> logger)
{
    private readonly ConcurrentDictionary<string, CachedPoolRouter> _routers = new(StringComparer.Ordinal);

    /// <summary>Picks a backend of <paramref name="pool"/> for one handshake and counts the connection there.</summary>
    public ValueTask<RouteResult> RouteAsync(string pool, RouteRequest request) =>
        (_routers.TryGetValue(pool, out var router) ? router : _routers.GetOrAdd(pool, Create)).RouteAsync(request);

    private CachedPoolRouter Create(string pool) => CachedPoolRouter.ForEdge(grains.GetGrain<IPoolRouterGrain>(pool), grains, time, logger);
}
