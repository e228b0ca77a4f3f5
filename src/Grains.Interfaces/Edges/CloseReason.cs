namespace WsOrleans.Edges;

/// <summary>Why the edge closes a live tunnel itself, with 1012 (Service Restart) or 1001 (Going Away).</summary>
public enum CloseReason
{
    /// <summary>Its backend holds more than its share of the pool: the client reconnects and lands on another.</summary>
    Rebalance,

    /// <summary>Its backend is draining with a deadline.</summary>
    Drain,

    /// <summary>The edge is stopping.</summary>
    Shutdown,
}
