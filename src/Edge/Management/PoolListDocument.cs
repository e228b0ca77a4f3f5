namespace WsOrleans.Edge.Management;

/// <summary>The JSON of <c>GET /pools</c>: the pool entries of <c>GET /status</c>.</summary>
internal sealed record class PoolListDocument(IReadOnlyList<PoolStatusDocument> Pools);
