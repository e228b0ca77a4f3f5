using System.Collections.Immutable;

namespace WsOrleans.Edges;

/// <summary>What an edge says about itself with each heartbeat.</summary>
/// <param name="Address">The edge's public listener address(es).</param>
/// <param name="LeaseTime">How long the edge counts as alive without a newer heartbeat.</param>
/// <param name="Backends">Its live connections per backend (backends it holds none to may be left out).</param>
/// <param name="Commands">Where the cluster sends the edge orders (closing tunnels), registered anew with every heartbeat.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.edge-heartbeat")]
public sealed record class EdgeHeartbeat(
    [property: Id(0)] string Address,
    [property: Id(1)] TimeSpan LeaseTime,
    [property: Id(2)] ImmutableArray<EdgeBackendCount> Backends,
    [property: Id(3)] IEdgeCommands? Commands = null);
