namespace WsOrleans.Edges;

/// <summary>
/// A routing grain asks an edge to close <paramref name="Count"/> of its tunnels to one backend, spread
/// evenly over <paramref name="Within"/>. An order replaces the edge's earlier order for the same backend.
/// </summary>
/// <param name="Pool">The pool.</param>
/// <param name="BackendId">The backend whose tunnels to close.</param>
/// <param name="Count">How many; the edge closes fewer when it has fewer.</param>
/// <param name="Within">How long the closes are spread over.</param>
/// <param name="Reason">Why, for the close frame, the metrics and the log.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.close-order")]
public sealed record class CloseOrder(
    [property: Id(0)] string Pool,
    [property: Id(1)] string BackendId,
    [property: Id(2)] int Count,
    [property: Id(3)] TimeSpan Within,
    [property: Id(4)] CloseReason Reason);
