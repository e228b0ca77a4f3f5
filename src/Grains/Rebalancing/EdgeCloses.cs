namespace WsOrleans.Rebalancing;

/// <summary>How many of one edge's connections to one backend to close in this tick.</summary>
internal sealed record class EdgeCloses(string EdgeId, string BackendId, int Count);
