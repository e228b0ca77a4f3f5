using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace WsOrleans.Edge.Transport;

/// <summary>
/// One client connection as Kestrel sees it: a socket behind a pair of pipes, filled and drained by
/// a receive loop and a send loop, as in Kestrel's own socket transport. The difference is
/// <see cref="DetachAsync"/>: once the HTTP layer has upgraded the connection, both loops stop
/// and the socket is handed out, so the tunnel can carry its bytes directly, socket to socket,
/// and Kestrel forgets the connection (and frees what it held for it) without closing it.
/// </summary>
internal sealed class EdgeSocketConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature,
    IConnectionEndPointFeature, IConnectionSocketFeature, IMemoryPoolFeature
{
    private const int MinimumReceiveSize = 2048;
    private static long _lastId;

    private readonly Socket _socket;

    // Dropped once a detached connection is disposed of (ForgetServerState): the parked wait outlives them.
    private Pipe _input;
    private Pipe _output;
    private readonly CancellationTokenSource _closed = new();

    // Held while the receive loop reads into the input; detaching takes it, so it never cuts a read in half.
    private readonly SemaphoreSlim _reading = new(1, 1);

    // Detaching cancels a read that waits for bytes (see ReceiveLoopAsync): it would hold the lock above until the
    // client sent more, and a client that waits for the backend to speak first sends nothing.
    private readonly CancellationTokenSource _stopReading = new();
    private readonly Func<Socket, ValueTask<int>> _waitForData;

    // Sized for this connection's features and the ones Kestrel adds, so it never grows.
    private readonly FeatureCollection _features = new(initialCapacity: 16);
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private IDictionary<object, object?>? _items;
    private volatile bool _detaching;
    private volatile bool _detached;
    private int _socketClosed;

    private EdgeSocketConnection(Socket socket, Func<Socket, ValueTask<int>> waitForData)
    {
        _socket = socket;
        _waitForData = waitForData;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionId = Interlocked.Increment(ref _lastId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        ConnectionClosed = _closed.Token;

        // Kestrel's own limits: up to 1 MB read ahead of the server, 64 KB queued for the client.
        _input = new Pipe(new PipeOptions(MemoryPool, PipeScheduler.ThreadPool, PipeScheduler.Inline, 1024 * 1024, 512 * 1024, MinimumReceiveSize, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(MemoryPool, PipeScheduler.Inline, PipeScheduler.ThreadPool, 64 * 1024, 32 * 1024, useSynchronizationContext: false));
        Transport = new DuplexPipe(_input.Reader, _output.Writer);

        _features.Set<IConnectionIdFeature>(this);
        _features.Set<IConnectionTransportFeature>(this);
        _features.Set<IConnectionItemsFeature>(this);
        _features.Set<IConnectionLifetimeFeature>(this);
        _features.Set<IConnectionEndPointFeature>(this);
        _features.Set<IConnectionSocketFeature>(this);
        _features.Set<IMemoryPoolFeature>(this);
        _features.Set(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features => _features;

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public MemoryPool<byte> MemoryPool => MemoryPool<byte>.Shared;

    public Socket Socket => _socket;

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public static EdgeSocketConnection Start(Socket socket) => Start(socket, WaitForDataAsync);

    /// <param name="socket">The accepted connection.</param>
    /// <param name="waitForData">
    /// Waits until the socket has bytes to read, before the receive loop takes a buffer. It may also return when there is
    /// nothing to read: .NET's zero-byte receive does now and then (a readiness event it handles after the bytes that
    /// raised it were read).
    /// </param>
    internal static EdgeSocketConnection Start(Socket socket, Func<Socket, ValueTask<int>> waitForData)
    {
        var connection = new EdgeSocketConnection(socket, waitForData);
        connection._receiving = connection.ReceiveLoopAsync();
        connection._sending = connection.SendLoopAsync();
        return connection;
    }

    /// <summary>
    /// Takes the socket away from the HTTP server. Call it once the server has upgraded the
    /// connection and sent the response: the send loop sends what is queued and stops, and the
    /// receive loop stops before reading anything more and ends the input, so reading the upgraded
    /// request stream to its end yields exactly what the client sent that the server had not read.
    /// Kestrel then ends the connection without closing the socket.
    /// </summary>
    public async Task<Socket> DetachAsync()
    {
        _detaching = true;
        _output.Reader.CancelPendingRead();
        _input.Writer.CancelPendingFlush();
        _stopReading.Cancel();
        await _reading.WaitAsync();
        _detached = true;
        _reading.Release();

        // The receive loop will not touch the input again: end it, so the upgraded request stream
        // yields what is left and then ends. The loop has ended, or its zero-byte wait stays parked
        // on the socket and returns, having read nothing, once the socket has data or is shut down,
        // or once whoever carries the tunnel disposes of the socket.
        await _input.Writer.CompleteAsync();
        await _sending;
        return _socket;
    }

    /// <summary>
    /// The parked wait keeps a detached connection reachable while the socket lives: once the server
    /// has disposed of it, drop what the server hung on it (its connection, request and header
    /// objects, through the features it set) and the pipes and send loop it no longer uses, so that
    /// much is not held per idle tunnel.
    /// </summary>
    private void ForgetServerState()
    {
        _input = null!;
        _output = null!;
        Transport = null!;
        _sending = Task.CompletedTask;

        // This connection's own features are all itself; everything else the server set.
        foreach (var (type, feature) in _features.ToArray())
        {
            if (!ReferenceEquals(feature, this))
            {
                _features[type] = null;
            }
        }

        _items = null;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (!_detaching)
        {
            CloseSocket();
            _output.Reader.CancelPendingRead();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_input is null)
        {
            // Disposed of already, after it was detached.
            return;
        }

        _input.Reader.Complete();
        _output.Writer.Complete();
        if (!_detached)
        {
            await _receiving;
            _closed.Dispose();
            _stopReading.Dispose();
        }

        await _sending;
        if (_detached)
        {
            // The server is done with this connection, but the parked wait keeps it reachable.
            ForgetServerState();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        // The pipe's writer is read afresh after each wait, never kept across one: a detached connection drops its pipes.
        Exception? error = null;
        try
        {
            while (true)
            {
                // Wait for data before taking a buffer: an idle connection holds none.
                _ = await _waitForData(_socket);
                await _reading.WaitAsync();
                try
                {
                    if (_detached)
                    {
                        return;
                    }

                    var writer = _input.Writer;
                    var received = await _socket.ReceiveAsync(writer.GetMemory(MinimumReceiveSize), SocketFlags.None, _stopReading.Token);
                    if (received == 0)
                    {
                        return;
                    }

                    writer.Advance(received);
                    var flush = await writer.FlushAsync();
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return;
                    }
                }
                finally
                {
                    _reading.Release();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            error = _detaching ? null : new ConnectionResetException(e.Message, e);
        }
        finally
        {
            if (!_detaching)
            {
                await _input.Writer.CompleteAsync(error);

                // Kestrel aborts the request from this token: not on this loop's thread.
                await Task.Run(_closed.Cancel);
            }
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _socket.SendAsync(segment, SocketFlags.None);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away; the receive loop reports it.
        }
        finally
        {
            await reader.CompleteAsync();
            if (!_detaching)
            {
                CloseSocket();
            }
        }
    }

    private static ValueTask<int> WaitForDataAsync(Socket socket) => socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

    private void CloseSocket()
    {
        if (Interlocked.Exchange(ref _socketClosed, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already gone.
            }

            _socket.Dispose();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
