namespace WsOrleans.RouteBench;

/// <summary>Where the benchmark's callers sit relative to the silo holding the routing grain.</summary>
internal static class BenchModes
{
    /// <summary>In the silo's process, through its own grain factory: what an Embedded edge does.</summary>
    public const string Cohosted = "cohosted";

    /// <summary>An Orleans client over a TCP connection to the silo's gateway: what a Localhost (or Redis) edge does.</summary>
    public const string Loopback = "loopback";

    public static IReadOnlyList<string> All { get; } = [Cohosted, Loopback];
}

/// <summary>What decides: each edge by itself, the routers edges call, or the pool grain's one activation (the baseline).</summary>
internal static class BenchRouting
{
    /// <summary>The pool's router on the silo that receives the call (<c>IPoolRouterGrain</c>), as edges route.</summary>
    public const string Router = "router";

    /// <summary>
    /// Each benchmark edge by itself (<c>WsOrleans:Edge:RouteLocally</c>, the default): a <c>CachedPoolRouter</c> per
    /// edge, its view read from the silo's router, uncapped backends admitted without a grain call.
    /// </summary>
    public const string Edge = "edge";

    /// <summary>The pool grain itself (<c>IPoolGrain.Route</c>): one activation for the whole cluster.</summary>
    public const string Pool = "pool";

    public static IReadOnlyList<string> All { get; } = [Edge, Router, Pool];
}
