namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Carries an upgraded connection's bytes between the client and the backend, one
/// <see cref="TunnelDirection"/> each way. An idle tunnel holds no buffer. When one side ends, the
/// other is closed, as nginx and HAProxy do; the edge can also close it with a close frame of its own.
/// </summary>
internal sealed class Tunnel
{
    private readonly ITunnelSide _client;
    private readonly ITunnelSide _backend;
    private readonly TunnelDirection _toBackend;
    private readonly TunnelDirection _toClient;
    private long _lastActivity = Environment.TickCount64;
    private int _ended;
    private int _firstClose;
    private int _closing;

    public Tunnel(ITunnelSide client, ITunnelSide backend, bool detached, TunnelInfo info)
    {
        _client = client;
        _backend = backend;
        Detached = detached;
        Info = info;
        _toBackend = new TunnelDirection(client, backend, towardBackend: true, Touch, () => Interlocked.CompareExchange(ref _firstClose, 1, 0));
        _toClient = new TunnelDirection(backend, client, towardBackend: false, Touch, () => Interlocked.CompareExchange(ref _firstClose, 2, 0));
    }

    /// <summary>Whether the client connection left the HTTP server (carried socket to socket).</summary>
    public bool Detached { get; }

    public TunnelInfo Info { get; }

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

    public long BytesToBackend => _toBackend.Bytes;

    public long BytesToClient => _toClient.Bytes;

    /// <summary>Frames from the client (messages counted, its close frame if any).</summary>
    public FrameTracker FromClient => _toBackend.Frames;

    /// <summary>Frames from the backend.</summary>
    public FrameTracker FromBackend => _toClient.Frames;

    /// <summary>Milliseconds (of <see cref="Environment.TickCount64"/>) when a byte last moved either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public TunnelEnd EndedBy { get; private set; } = TunnelEnd.Client;

    /// <summary>Why the edge closed this tunnel itself; null when it did not (or not yet).</summary>
    public Edges.CloseReason? ClosedFor { get; private set; }

    /// <summary>Whether the edge has started closing it (<see cref="CloseAsync"/>).</summary>
    public bool Closing => Volatile.Read(ref _closing) == 1;

    /// <summary>
    /// Carries bytes both ways until one side ends, then closes and releases both. What each side
    /// sent before the tunnel began that no one has read yet (<paramref name="fromClient"/>,
    /// <paramref name="fromBackend"/>) goes first.
    /// </summary>
    public async Task<TunnelEnd> RunAsync(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        var toBackend = _toBackend.CopyAsync(fromClient);
        var toClient = _toClient.CopyAsync(fromBackend);
        if (await Task.WhenAny(toBackend, toClient) == toBackend)
        {
            if (toBackend.Result)
            {
                // The client finished sending: pass the end on and let the backend finish its side.
                _backend.EndWrites();
                await toClient;
            }

            End(TunnelEnd.Client);
        }
        else
        {
            if (Closing)
            {
                // The backend answered the edge's close and hung up; the client may still be sending. Closing
                // its socket now, with its data unread, would reset the connection and could lose the close
                // frame the edge sent it: wait for its close reply (CloseAsync ends the tunnel then) or the timeout.
                await Task.WhenAny(toBackend, Task.Delay(TunnelRegistry.CloseHandshakeTimeout));
            }

            End(TunnelEnd.Backend);
        }

        await Task.WhenAll(toBackend, toClient);
        _client.Dispose();
        _backend.Dispose();
        return EndedBy;
    }

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
        await Task.WhenAll(_toClient.InjectCloseAsync(code, reason, deadline), _toBackend.InjectCloseAsync(code, reason, deadline));
        while (DateTime.UtcNow < deadline && Volatile.Read(ref _ended) == 0 && !(FromClient.SawClose && FromBackend.SawClose))
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
            _client.Close();
            _backend.Close();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
}
