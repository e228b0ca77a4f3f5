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
