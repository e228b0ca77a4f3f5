namespace WsOrleans.Routing;

/// <summary>The names of the balancing strategies a pool can use, as written in configuration.</summary>
public static class StrategyNames
{
    /// <summary>Smooth weighted round robin over routable backends.</summary>
    public static string RoundRobin => nameof(RoundRobin);

    /// <summary>Fewest live connections cluster-wide, relative to weight; ties broken round robin.</summary>
    public static string LeastConnections => nameof(LeastConnections);

    /// <summary>Consistent hashing of the client address.</summary>
    public static string IpHash => nameof(IpHash);

    /// <summary>Consistent hashing of a request key (<c>query:NAME</c>, <c>header:NAME</c>, <c>cookie:NAME</c> or <c>path</c>).</summary>
    public static string Hash => nameof(Hash);

    /// <summary>An affinity key bound to a backend cluster-wide with a sliding time to live.</summary>
    public static string Sticky => nameof(Sticky);

    /// <summary>Every name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [RoundRobin, LeastConnections, IpHash, Hash, Sticky];

    /// <summary>Returns the canonical spelling of <paramref name="name"/> (matched ignoring case), or null.</summary>
    public static string? Canonical(string? name) =>
        All.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}
