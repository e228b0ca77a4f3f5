namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// An upgraded connection's bytes carried between the client and the backend, and what the edge knows of them:
/// bytes and messages each way, who closed it and how. When one side ends, the other is closed, as nginx and
/// HAProxy do; the edge can also close it with a close frame of its own. <see cref="ManagedTunnel"/> carries it
/// on .NET's async sockets or streams, <see cref="EventLoop.LoopTunnel"/> on an epoll loop.
/// </summary>
internal abstract class Tunnel(bool detached, TunnelInfo info)
{
    private long _lastActivity = Environment.TickCount64;
    private int _ended;
    private int _firstClose;
    private int _closing;

    /// <summary>Whether the client connection left the HTTP server (carried socket to socket).</summary>
    public bool Detached { get; } = detached;

    public TunnelInfo Info { get; } = info;

    /// <summary>How the bytes are carried, for the connection log.</summary>
    public abstract string Carrier { get; }

    /// <summary>
    /// Who started the WebSocket close handshake (sent the first close frame), and with what code;
    /// when nobody did (the connection just ended), who ended it.
    /// </summary>
    public (string By, int? Code) Closer => Volatile.Read(ref _firstClose) switch
    {
        1 => ("client", FromClient.CloseCode),
        2 => ("backend", FromBackend.CloseCode),
        _ => (EndedBy.ToString().ToLowerInvariant(), null),
    };

    public abstract long BytesToBackend { get; }

    public abstract long BytesToClient { get; }

    /// <summary>Frames from the client (messages counted, its close frame if any).</summary>
    public abstract FrameTracker FromClient { get; }

    /// <summary>Frames from the backend.</summary>
    public abstract FrameTracker FromBackend { get; }

    /// <summary>Milliseconds (of <see cref="Environment.TickCount64"/>) when a byte last moved either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public TunnelEnd EndedBy { get; private set; } = TunnelEnd.Client;

    /// <summary>Why the edge closed this tunnel itself; null when it did not (or not yet).</summary>
    public Edges.CloseReason? ClosedFor { get; private set; }

    /// <summary>Whether the edge has started closing it (<see cref="CloseAsync"/>).</summary>
    public bool Closing => Volatile.Read(ref _closing) == 1;

    /// <summary>Whether <see cref="End"/> has run.</summary>
    protected bool Ended => Volatile.Read(ref _ended) == 1;

    /// <summary>
    /// Carries bytes both ways until one side ends, then closes and releases both. What each side
    /// sent before the tunnel began that no one has read yet (<paramref name="fromClient"/>,
    /// <paramref name="fromBackend"/>) goes first.
    /// </summary>
    public abstract Task<TunnelEnd> RunAsync(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend);

    /// <summary>
    /// Closes the tunnel the WebSocket way: a close frame with <paramref name="code"/> to both
    /// sides (between frames, so every message that was complete reaches its side first), then, once
    /// both have answered or <paramref name="timeout"/> has passed, the connections. A second call
    /// while one is under way does nothing.
    /// </summary>
    public async Task CloseAsync(int code, string reason, TimeSpan timeout, Edges.CloseReason why)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        ClosedFor = why;
        var deadline = DateTime.UtcNow + timeout;
        await InjectCloseAsync(code, reason, deadline);
        while (DateTime.UtcNow < deadline && !Ended && !(FromClient.SawClose && FromBackend.SawClose))
        {
            await Task.Delay(10);
        }

        End(TunnelEnd.Edge);
    }

    /// <summary>Ends the tunnel, closing both sides; the first reason given is the one reported.</summary>
    public void End(TunnelEnd reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            EndedBy = reason;
            CloseSides();
        }
    }

    /// <summary>Sends a close frame of the edge's own each way, between two frames, giving up at <paramref name="deadline"/>.</summary>
    protected abstract Task InjectCloseAsync(int code, string reason, DateTime deadline);

    /// <summary>Closes both connections: reads under way end, writes fail.</summary>
    protected abstract void CloseSides();

    /// <summary>A byte moved: the tunnel is not idle.</summary>
    protected void Touch(long now) => Volatile.Write(ref _lastActivity, now);

    /// <summary>A close frame passed; the first one names who started the close handshake.</summary>
    protected void SawCloseFrame(bool fromClient) => Interlocked.CompareExchange(ref _firstClose, fromClient ? 1 : 2, 0);
}
