namespace WsOrleans.Pools;

/// <summary>What a request to rebalance a pool did.</summary>
public enum RebalanceOutcome
{
    /// <summary>A round started (or one was running): the edges close the excess at the pool's rate.</summary>
    Started,

    /// <summary>No backend holds more than its share: nothing to close.</summary>
    Balanced,

    /// <summary>The pool does not exist.</summary>
    UnknownPool,

    /// <summary>The pool's strategy would route the moved connections back (Hash, IpHash, Sticky): nothing is closed.</summary>
    NotRebalanceable,
}
