using System.Collections.Immutable;

namespace WsOrleans.Edges;

/// <summary>The cluster's list of edges with unexpired leases (one grain, key 0), for status.</summary>
[Alias("wsorleans.edge-registry")]
public interface IEdgeRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records an edge's latest heartbeat.</summary>
    [Alias("update")]
    ValueTask Update(EdgeStatus edge);

    /// <summary>Stops listing an edge.</summary>
    [Alias("remove")]
    ValueTask Remove(string edgeId);

    /// <summary>Every edge whose lease has not lapsed, by id.</summary>
    [Alias("edges"), ReadOnly]
    ValueTask<ImmutableArray<EdgeStatus>> GetEdges();
}
