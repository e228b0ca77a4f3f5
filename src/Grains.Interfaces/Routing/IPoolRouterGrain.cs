namespace WsOrleans.Routing;

/// <summary>
/// Routes one pool's handshakes on the silo that received them (key: the pool's name). It is a stateless worker, one
/// activation per silo: an edge's calls reach the router on its gateway (an Orleans client keeps one grain's calls on
/// one gateway, and many edges spread over all of them), so a pool's decisions spread over the silos instead of
/// queuing at one activation. It picks from a cached view of the pool; a backend without a cap it admits alone and
/// counts at the backend grain afterwards, many at a time, and a capped one it asks to admit the connection first, so
/// that grain alone keeps the cap. Sticky pools are routed by the pool grain, which holds their bindings. Edges that
/// route by themselves (<c>WsOrleans:Edge:RouteLocally</c>) read their view of the pool here instead of calling Route.
/// </summary>
[Alias("wsorleans.pool-router")]
public interface IPoolRouterGrain : IGrainWithStringKey
{
    /// <summary>Picks a backend for one handshake and counts the connection there.</summary>
    [Alias("route")]
    ValueTask<RouteResult> Route(RouteRequest request);

    /// <summary>
    /// This router's view of the pool, read from the pool grain first when it is older than a few milliseconds or than
    /// <paramref name="knownVersion"/>: one read per silo serves every edge on it, so the pool grain is read as often with
    /// a hundred edges routing by themselves as with one.
    /// </summary>
    [Alias("view")]
    ValueTask<RouterView> GetView(int knownVersion);
}
