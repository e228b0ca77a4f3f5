using WsOrleans.Pools;

namespace WsOrleans.Edge.Routing;

/// <summary>
/// The last view of a pool an edge read from the cluster: its settings and each backend's state and count,
/// how many edges were alive, and what this edge itself held of each backend at that moment.
/// </summary>
internal sealed record class PoolSnapshot(PoolStatus Status, int LiveEdges, IReadOnlyDictionary<string, long> OwnLive, DateTimeOffset At);
