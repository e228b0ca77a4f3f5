namespace WsOrleans.Pools;

/// <summary>What a pool does with a request on its path that is not a WebSocket handshake.</summary>
public enum PoolHttpMode
{
    /// <summary>
    /// Forwards it to a backend chosen by the pool's rules, as SignalR's negotiate, Server-Sent Events and
    /// long polling and Socket.IO's polling transport need. The default.
    /// </summary>
    Forward,

    /// <summary>Answers it with 426 Upgrade Required: the path takes WebSocket connections only.</summary>
    Refuse,
}
