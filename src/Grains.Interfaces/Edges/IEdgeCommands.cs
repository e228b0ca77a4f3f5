namespace WsOrleans.Edges;

/// <summary>What the cluster can ask an edge to do; each edge registers one with its edge grain.</summary>
[Alias("wsorleans.edge-commands")]
public interface IEdgeCommands : IGrainObserver
{
    /// <summary>Closes some of the edge's tunnels to a backend, the WebSocket way.</summary>
    [Alias("close"), OneWay]
    ValueTask Close(CloseOrder order);
}
