namespace WsOrleans.Edge.Tunneling;

/// <summary>Who ended a tunnel.</summary>
internal enum TunnelEnd
{
    /// <summary>The client closed its side (or went away).</summary>
    Client,

    /// <summary>The backend closed its side (or went away).</summary>
    Backend,

    /// <summary>No bytes either way for the activity timeout.</summary>
    Idle,

    /// <summary>The edge closed it (shutting down).</summary>
    Edge,
}
