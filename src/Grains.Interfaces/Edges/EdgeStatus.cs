using System.Collections.Immutable;

namespace WsOrleans.Edges;

/// <summary>One edge with an unexpired lease, in a status report.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.edge-status")]
public sealed record class EdgeStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Address,
    [property: Id(2)] DateTimeOffset LastHeartbeat,
    [property: Id(3)] DateTimeOffset LeaseExpires,
    [property: Id(4)] ImmutableArray<EdgeBackendCount> Backends)
{
    /// <summary>The edge's live connections, all backends together.</summary>
    public long Connections => Backends.Sum(b => b.Connections);
}
