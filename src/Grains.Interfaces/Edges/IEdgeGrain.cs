namespace WsOrleans.Edges;

/// <summary>
/// One edge's lease (key: the edge's id). The edge heartbeats several times per lease time;
/// the grain lists it in the <see cref="IEdgeRegistryGrain"/> until the lease lapses or it leaves.
/// </summary>
[Alias("wsorleans.edge")]
public interface IEdgeGrain : IGrainWithStringKey
{
    /// <summary>Renews the edge's lease and records what it carries.</summary>
    [Alias("heartbeat")]
    ValueTask Heartbeat(EdgeHeartbeat heartbeat);

    /// <summary>Passes <paramref name="order"/> to the edge, when it has registered where to send orders.</summary>
    [Alias("close"), OneWay]
    ValueTask Close(CloseOrder order);

    /// <summary>The edge stopped gracefully: it is no longer listed.</summary>
    [Alias("leave")]
    ValueTask Leave();
}
