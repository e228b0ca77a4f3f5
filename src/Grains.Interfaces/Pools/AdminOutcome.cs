namespace WsOrleans.Pools;

/// <summary>What an admin change to a pool did, or why it did nothing.</summary>
public enum AdminOutcome
{
    /// <summary>A backend was added to the pool.</summary>
    Added,

    /// <summary>The change was made.</summary>
    Changed,

    /// <summary>The pool already was as asked; nothing was written.</summary>
    Unchanged,

    /// <summary>The backend was removed from the pool.</summary>
    Removed,

    /// <summary>The pool does not exist. Nothing changed.</summary>
    UnknownPool,

    /// <summary>The pool has no backend with that id. Nothing changed.</summary>
    UnknownBackend,

    /// <summary>The backend still has live connections and removal was not forced. Nothing changed.</summary>
    HasConnections,

    /// <summary>Another backend of the pool has the same address. Nothing changed.</summary>
    AddressInUse,
}
