using static WsOrleans.Edge.Tunneling.EventLoop.LinuxSockets;

namespace WsOrleans.Edge.Tunneling.EventLoop;

/// <summary>
/// A plain tunnel carried by an <see cref="EventLoop"/>: both sockets are non-blocking descriptors in the loop's
/// epoll set. A read lands in the loop's buffer and is written on at once; only what the peer did not take is
/// copied aside (and the source is not read until the peer takes it). A short read means the socket is drained,
/// so the loop waits instead of reading again. Frames are followed as they pass, as on the managed path, for the
/// counts, the close codes and the edge's own close between two frames. All state is touched on the loop's thread.
/// </summary>
internal sealed class LoopTunnel : Tunnel
{
    private readonly EventLoop _loop;
    private readonly LoopSide _client;
    private readonly LoopSide _backend;
    private readonly LoopDirection _toBackend = new(towardBackend: true);
    private readonly LoopDirection _toClient = new(towardBackend: false);
    private readonly TaskCompletionSource<TunnelEnd> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _slot = -1;
    private bool _tornDown;
    private TunnelEnd? _endOnceFlushed;

    /// <param name="loops">The loops; the tunnel takes the next one.</param>
    /// <param name="clientFd">The detached client connection's descriptor, taken over from .NET (<see cref="DescriptorTakeover"/>).</param>
    /// <param name="backendFd">The plain backend connection's descriptor, taken over likewise.</param>
    /// <param name="info">Who and where, for the registry and the log.</param>
    public LoopTunnel(EventLoops loops, int clientFd, int backendFd, TunnelInfo info)
        : base(detached: true, info)
    {
        _loop = loops.Next();
        _client = new LoopSide(clientFd, TunnelEnd.Client);
        _backend = new LoopSide(backendFd, TunnelEnd.Backend);
    }

    public override string Carrier => "event-loop";

    public override long BytesToBackend => Volatile.Read(ref _toBackend.Bytes);

    public override long BytesToClient => Volatile.Read(ref _toClient.Bytes);

    public override FrameTracker FromClient => _toBackend.Frames;

    public override FrameTracker FromBackend => _toClient.Frames;

    public override Task<TunnelEnd> RunAsync(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        _loop.Post(() => Start(fromClient, fromBackend));
        return _done.Task;
    }

    /// <summary>Called by the loop when one of this tunnel's sockets is ready.</summary>
    public void OnReady(bool client, uint events)
    {
        if (_tornDown)
        {
            return;
        }

        var side = client ? _client : _backend;
        if ((events & (EpollOut | EpollErr | EpollHup)) != 0 && side.Pending is not null)
        {
            Flush(side);
        }

        if (!Ended && (events & (EpollIn | EpollErr | EpollHup)) != 0)
        {
            if (CanRead(side))
            {
                ReadFrom(side);
            }
            else if ((events & (EpollErr | EpollHup)) != 0 && side.Pending is null)
            {
                HungUpWhileNotRead(side);
            }
        }

        Watch(_client);
        Watch(_backend);
    }

    /// <summary>Something in this tunnel's handling threw (or its loop stopped): end it, never the loop.</summary>
    public void Fault(Exception exception)
    {
        Faulted = exception;
        End(TunnelEnd.Edge);
        Teardown();
    }

    /// <summary>What ended this tunnel when its handling threw; null otherwise.</summary>
    public Exception? Faulted { get; private set; }

    protected override Task InjectCloseAsync(int code, string reason, DateTime deadline)
    {
        var posted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() =>
        {
            if (!_tornDown && !Ended)
            {
                InjectClose(_toClient, code, reason);
                InjectClose(_toBackend, code, reason);
                Watch(_client);
                Watch(_backend);
            }

            posted.TrySetResult();
        });
        return posted.Task;
    }

    // Shutting down wakes the loop with a hang-up. The descriptors are closed on the loop's thread (Teardown),
    // always after this: their numbers are reused once closed.
    protected override void CloseSides()
    {
        _ = Shutdown(_client.Fd, ShutBoth);
        _ = Shutdown(_backend.Fd, ShutBoth);
        _loop.Post(Teardown);
    }

    private void Start(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        if (Ended)
        {
            Teardown();
            return;
        }

        _slot = _loop.Add(this);
        Forward(_toBackend, _backend, fromClient.Span);
        Forward(_toClient, _client, fromBackend.Span);
        Watch(_client);
        Watch(_backend);
    }

    private unsafe void ReadFrom(LoopSide source)
    {
        var (direction, destination) = source == _client ? (_toBackend, _backend) : (_toClient, _client);
        var buffer = _loop.Buffer;
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = Receive(source.Fd, start, buffer.Length, DontWait);
                if (read > 0)
                {
                    Forward(direction, destination, buffer.AsSpan(0, (int)read));

                    // A short read drained the socket: wait for the next event rather than ask again.
                    if (read < buffer.Length || destination.Pending is not null || Ended)
                    {
                        return;
                    }

                    continue;
                }

                var error = read == 0 ? 0 : Errno;
                if (error == EIntr)
                {
                    continue;
                }

                if (error != EAgain)
                {
                    SourceEnded(source, clean: read == 0);
                }

                return;
            }
        }
    }

    private void Forward(LoopDirection direction, LoopSide destination, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (direction.EdgeClosed)
        {
            // The edge closed this way: frames are still followed (for the peer's close reply), not forwarded.
            direction.Frames.Observe(data);
        }
        else if (direction.PendingClose is { } close)
        {
            var upToBoundary = direction.Frames.ObserveToBoundary(data);
            Write(destination, data[..upToBoundary]);
            if (direction.Frames.AtFrameBoundary)
            {
                Write(destination, close);
                direction.PendingClose = null;
                direction.EdgeClosed = true;
                direction.Frames.Observe(data[upToBoundary..]);
            }
        }
        else
        {
            Write(destination, data);
            direction.Frames.Observe(data);
        }

        Volatile.Write(ref direction.Bytes, direction.Bytes + data.Length);
        Touch(_loop.Now);
        if (!direction.CloseNoticed && direction.Frames.SawClose)
        {
            direction.CloseNoticed = true;
            SawCloseFrame(fromClient: direction.TowardBackend);
        }
    }

    private void InjectClose(LoopDirection direction, int code, string reason)
    {
        var destination = direction.TowardBackend ? _backend : _client;
        var frame = TunnelDirection.CloseFrame(code, reason, masked: direction.TowardBackend);
        if (direction.EdgeClosed)
        {
            return;
        }

        if (direction.Frames.AtFrameBoundary)
        {
            Write(destination, frame);
            direction.EdgeClosed = true;
        }
        else
        {
            // Sent by Forward right after the frame under way.
            direction.PendingClose = frame;
        }
    }

    /// <summary>Writes at once; what the socket does not take waits in the side's pending buffer for writability.</summary>
    private void Write(LoopSide destination, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || destination.WriteFailed)
        {
            return;
        }

        if (destination.Pending is null)
        {
            var sent = Send(destination, data);
            if (sent < 0)
            {
                return;
            }

            data = data[sent..];
            if (data.IsEmpty)
            {
                return;
            }
        }

        destination.Append(data);
    }

    private void Flush(LoopSide destination)
    {
        var sent = Send(destination, destination.Pending.AsSpan(destination.PendingStart, destination.PendingEnd - destination.PendingStart));
        if (sent < 0)
        {
            return;
        }

        destination.PendingStart += sent;
        if (destination.PendingStart < destination.PendingEnd)
        {
            return;
        }

        destination.ReturnPending();
        if (destination.ShutWritesOnceFlushed)
        {
            _ = Shutdown(destination.Fd, ShutWrite);
        }

        if (_endOnceFlushed is { } end && _client.Pending is null && _backend.Pending is null)
        {
            End(end);
        }
    }

    /// <summary>Sends what the socket takes now; -1 when the socket is gone (the tunnel is then ending).</summary>
    private unsafe int Send(LoopSide destination, ReadOnlySpan<byte> data)
    {
        var sent = 0;
        fixed (byte* start = data)
        {
            while (sent < data.Length)
            {
                var written = LinuxSockets.Send(destination.Fd, start + sent, data.Length - sent, DontWait | NoSignal);
                if (written > 0)
                {
                    sent += (int)written;
                    continue;
                }

                var error = Errno;
                if (error == EIntr)
                {
                    continue;
                }

                if (error == EAgain)
                {
                    break;
                }

                destination.WriteFailed = true;
                End(destination.End);
                return -1;
            }
        }

        return sent;
    }

    /// <summary>The source finished sending (clean) or broke; what the managed tunnel does, on the loop.</summary>
    private void SourceEnded(LoopSide source, bool clean)
    {
        source.ReadEnded = true;
        if (source == _client)
        {
            if (!clean)
            {
                End(TunnelEnd.Client);
            }
            else if (_backend.ReadEnded)
            {
                EndOnceFlushed(TunnelEnd.Backend);
            }
            else if (_backend.Pending is not null)
            {
                // Pass the end on once the backend has what came before it, and let it finish its side.
                _backend.ShutWritesOnceFlushed = true;
            }
            else
            {
                _ = Shutdown(_backend.Fd, ShutWrite);
            }

            return;
        }

        if (_client.ReadEnded)
        {
            EndOnceFlushed(TunnelEnd.Client);
        }
        else if (!Closing)
        {
            // When the edge is closing, the client's close reply is still awaited (CloseAsync ends the tunnel).
            if (clean)
            {
                EndOnceFlushed(TunnelEnd.Backend);
            }
            else
            {
                End(TunnelEnd.Backend);
            }
        }
    }

    private void EndOnceFlushed(TunnelEnd end)
    {
        if (_client.Pending is null && _backend.Pending is null)
        {
            End(end);
        }
        else
        {
            _endOnceFlushed = end;
        }
    }

    /// <summary>A hang-up or error on a socket the loop is not reading (its peer is busy, or it already ended).</summary>
    private void HungUpWhileNotRead(LoopSide side)
    {
        if (side == _backend && Closing && side.ReadEnded)
        {
            // The backend answered the edge's close and is gone; the client's reply is still awaited.
            side.Unwatch = true;
            return;
        }

        End(side.End);
    }

    private bool CanRead(LoopSide side) => !side.ReadEnded && (side == _client ? _backend : _client).Pending is null;

    private void Watch(LoopSide side)
    {
        if (_tornDown || _slot < 0)
        {
            return;
        }

        var wanted = side.Unwatch ? LoopSide.NotWatched : (CanRead(side) ? EpollIn : 0) | (side.Pending is not null ? EpollOut : 0);
        if (wanted != side.Interest)
        {
            var token = ((ulong)_slot << 1) | (side == _client ? 0UL : 1UL);
            if (!_loop.Watch(side.Fd, side.Interest, wanted, token) && side.Interest == LoopSide.NotWatched)
            {
                End(side.End);
            }

            side.Interest = wanted;
        }
    }

    private void Teardown()
    {
        if (_tornDown)
        {
            return;
        }

        _tornDown = true;
        foreach (var side in (ReadOnlySpan<LoopSide>)[_client, _backend])
        {
            // The loop's is the only descriptor left for the connection: closing it also takes it out of the epoll set.
            _ = Close(side.Fd);
            side.ReturnPending();
        }

        if (_slot >= 0)
        {
            _loop.Remove(_slot);
        }

        _done.TrySetResult(EndedBy);
    }
}
