namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// A tunnel carried on .NET's async sockets or streams, one <see cref="TunnelDirection"/> each way. An idle
/// tunnel holds no buffer. It carries everything the event loop does not: TLS on either side, tunnels on the
/// HTTP server's upgraded stream, and all tunnels when <c>Edge:Tunnel</c> is <c>Managed</c>.
/// </summary>
internal sealed class ManagedTunnel : Tunnel
{
    private readonly ITunnelSide _client;
    private readonly ITunnelSide _backend;
    private readonly TunnelDirection _toBackend;
    private readonly TunnelDirection _toClient;

    public ManagedTunnel(ITunnelSide client, ITunnelSide backend, bool detached, TunnelInfo info)
        : base(detached, info)
    {
        _client = client;
        _backend = backend;
        _toBackend = new TunnelDirection(client, backend, towardBackend: true, () => Touch(Environment.TickCount64), () => SawCloseFrame(fromClient: true));
        _toClient = new TunnelDirection(backend, client, towardBackend: false, () => Touch(Environment.TickCount64), () => SawCloseFrame(fromClient: false));
    }

    public override string Carrier => Detached ? "socket" : "stream";

    public override long BytesToBackend => _toBackend.Bytes;

    public override long BytesToClient => _toClient.Bytes;

    public override FrameTracker FromClient => _toBackend.Frames;

    public override FrameTracker FromBackend => _toClient.Frames;

    public override async Task<TunnelEnd> RunAsync(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
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

    protected override Task InjectCloseAsync(int code, string reason, DateTime deadline) =>
        Task.WhenAll(_toClient.InjectCloseAsync(code, reason, deadline), _toBackend.InjectCloseAsync(code, reason, deadline));

    protected override void CloseSides()
    {
        _client.Close();
        _backend.Close();
    }
}
