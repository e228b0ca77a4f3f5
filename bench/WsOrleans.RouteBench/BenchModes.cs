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

/// <summary>How the callers spread over the benchmark edges (<c>--edge-traffic</c>).</summary>
internal static class EdgeTraffics
{
    /// <summary>In turn over every edge.</summary>
    public const string Even = "even";

    /// <summary>Half of the callers on the first edge, the rest in turn over the others: edges of unequal shares.</summary>
    public const string Uneven = "uneven";

    /// <summary>
    /// As <see cref="Uneven"/>, then at the middle of the measured window the first edge's callers all move to the
    /// second: that edge's share jumps from a few percent to over half at once.
    /// </summary>
    public const string Shift = "shift";

    /// <summary>
    /// As <see cref="Even"/>, but until the middle of the measured window only the first edge's callers route, at its
    /// part of the rate; then the others' start too, at theirs: the pool's rate jumps to the whole rate at once (a
    /// reconnect wave arriving at the other edges) while the first edge's holds, so its share falls from all of the
    /// decisions to its part. Connections live as long before as after.
    /// </summary>
    public const string Surge = "surge";

    public static IReadOnlyList<string> All { get; } = [Even, Uneven, Shift, Surge];
}
