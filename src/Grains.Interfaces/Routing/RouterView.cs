using WsOrleans.Pools;

namespace WsOrleans.Routing;

/// <summary>A router's view of its pool, for an edge that routes by it: the pool grain's routing and how long ago its read began.</summary>
/// <param name="Routing">The pool's settings, version and members; null when the pool is not known.</param>
/// <param name="Age">
/// How long before this answer the router's read of the pool grain began: the edge ages its copy from then, so an admin
/// change that waits out the routers' views waits out the edges' too.
/// </param>
[GenerateSerializer, Immutable, Alias("wsorleans.router-view")]
public sealed record class RouterView(
    [property: Id(0)] PoolRouting? Routing,
    [property: Id(1)] TimeSpan Age);
