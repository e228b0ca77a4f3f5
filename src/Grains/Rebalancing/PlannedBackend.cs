namespace WsOrleans.Rebalancing;

/// <summary>A backend as the rebalance planner sees it.</summary>
/// <param name="Id">The backend's id.</param>
/// <param name="WeightPermille">Its weight now (ramped during a slow start), in thousandths.</param>
/// <param name="Live">Its live connections, less those already ordered closed and not yet ended.</param>
/// <param name="Routable">Active and not unhealthy: it has a share. Draining and unhealthy backends have none.</param>
internal sealed record class PlannedBackend(string Id, long WeightPermille, long Live, bool Routable);
