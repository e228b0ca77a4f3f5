namespace WsOrleans.Edges;

/// <summary>An edge's live connections to one backend.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.edge-backend-count")]
public sealed record class EdgeBackendCount(
    [property: Id(0)] string Pool,
    [property: Id(1)] string BackendId,
    [property: Id(2)] long Connections);
