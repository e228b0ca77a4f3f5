using WsOrleans.Edges;

namespace WsOrleans.Edge.Management;

/// <summary>One edge of <c>GET /status</c>: an edge whose lease has not lapsed, as of its last heartbeat.</summary>
internal sealed record class EdgeStatusDocument(
    string Id,
    string Address,
    DateTimeOffset LastHeartbeat,
    DateTimeOffset LeaseExpires,
    long Connections,
    IReadOnlyList<EdgeBackendDocument> Backends)
{
    public static EdgeStatusDocument From(EdgeStatus edge) => new(
        edge.Id,
        edge.Address,
        edge.LastHeartbeat,
        edge.LeaseExpires,
        edge.Connections,
        [.. edge.Backends.Select(b => new EdgeBackendDocument(b.Pool, b.BackendId, b.Connections))]);
}

/// <summary>An edge's live connections to one backend.</summary>
internal sealed record class EdgeBackendDocument(string Pool, string Backend, long Connections);
