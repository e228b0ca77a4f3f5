using WsOrleans.Edges;

namespace WsOrleans.Edge.Management;

/// <summary>
/// One edge of <c>GET /status</c>: an edge whose lease has not lapsed, with its live connections as the backend
/// grains count them now (the same counts as the backends' <c>connectionsByEdge</c>).
/// </summary>
internal sealed record class EdgeStatusDocument(
    string Id,
    string Address,
    DateTimeOffset LastHeartbeat,
    DateTimeOffset LeaseExpires,
    long Connections,
    IReadOnlyList<EdgeBackendDocument> Backends)
{
    public static EdgeStatusDocument From(EdgeStatus edge, IReadOnlyList<PoolStatusDocument> pools)
    {
        var backends = pools
            .SelectMany(p => p.Backends.Select(b => new EdgeBackendDocument(p.Name, b.Id, b.ConnectionsByEdge?.GetValueOrDefault(edge.Id) ?? 0)))
            .Where(b => b.Connections != 0)
            .ToList();
        return new(edge.Id, edge.Address, edge.LastHeartbeat, edge.LeaseExpires, backends.Sum(b => b.Connections), backends);
    }
}

/// <summary>An edge's live connections to one backend.</summary>
internal sealed record class EdgeBackendDocument(string Pool, string Backend, long Connections);
