using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Running;

/// <summary>A benchmark edge as its callers use it: the routing call as they make it, their request, and the edge that counts their connections.</summary>
internal sealed record class CallerEdge(Func<RouteRequest, ValueTask<RouteResult>> Route, RouteRequest Request, BenchEdge Edge);
