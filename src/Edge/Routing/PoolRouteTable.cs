using WsOrleans.Pools;

namespace WsOrleans.Edge.Routing;

/// <summary>
/// Which pool takes which path, as last read from the cluster. A pool's path is a prefix, as in an
/// nginx <c>location</c>: <c>/ws</c> takes <c>/ws</c> and <c>/ws/room/1</c> but not <c>/wsx</c>; the longest
/// matching prefix wins.
/// </summary>
internal sealed class PoolRouteTable
{
    // Longest path first, so the first match is the most specific. Swapped whole on refresh.
    private PoolRoute[] _routes = [];

    public IReadOnlyList<PoolRoute> Routes => Volatile.Read(ref _routes);

    public void Replace(IEnumerable<PoolRoute> routes) =>
        Volatile.Write(ref _routes, [.. routes.OrderByDescending(r => r.Path.Length).ThenBy(r => r.Path, StringComparer.Ordinal)]);

    public PoolRoute? Match(string path)
    {
        foreach (var route in Volatile.Read(ref _routes))
        {
            if (Covers(route.Path, path))
            {
                return route;
            }
        }

        return null;
    }

    private static bool Covers(string prefix, string path) =>
        prefix == "/"
        || (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/'));
}
