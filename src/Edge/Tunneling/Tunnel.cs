using System.Buffers;
using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Carries an upgraded connection's bytes between the client and the backend socket. Each
/// direction waits for data with a zero-byte read and only then rents a buffer, so an idle tunnel
/// holds no buffer at all; a busy one reads again at once while reads keep filling the buffer.
/// </summary>
internal sealed class Tunnel : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly Stream _client;
    private readonly Socket _backend;
    private readonly CancellationTokenSource _stop = new();
    private long _lastActivity = Environment.TickCount64;
    private int _ending;

    public Tunnel(Stream client, Socket backend)
    {
        _client = client;
        _backend = backend;
    }

    public long BytesToBackend { get; private set; }

    public long BytesToClient { get; private set; }

    /// <summary>Milliseconds (of <see cref="Environment.TickCount64"/>) when a byte last moved either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public TunnelEnd EndedBy { get; private set; } = TunnelEnd.Client;

    /// <summary>Carries bytes both ways until one side ends, then closes the other.</summary>
    public async Task<TunnelEnd> RunAsync()
    {
        var toBackend = ClientToBackendAsync();
        var toClient = BackendToClientAsync();
        if (await Task.WhenAny(toBackend, toClient) == toBackend)
        {
            if (toBackend.Result)
            {
                // The client finished sending: pass the end on and let the backend finish its side.
                Try(() => _backend.Shutdown(SocketShutdown.Send));
                await toClient;
            }

            End(TunnelEnd.Client);
        }
        else
        {
            End(TunnelEnd.Backend);
        }

        await Task.WhenAll(toBackend, toClient);
        return EndedBy;
    }

    /// <summary>Ends the tunnel from outside: idle for too long, or the edge is stopping.</summary>
    public void End(TunnelEnd reason)
    {
        if (Interlocked.Exchange(ref _ending, 1) == 0)
        {
            EndedBy = reason;
            _stop.Cancel();
            Try(() => _backend.Dispose());
        }
    }

    public void Dispose()
    {
        End(EndedBy);
        _stop.Dispose();
    }

    /// <summary>True when the client ended its side cleanly (end of stream), false on error or cancellation.</summary>
    private async Task<bool> ClientToBackendAsync()
    {
        var token = _stop.Token;
        var previousFilled = false;
        try
        {
            while (true)
            {
                if (!previousFilled)
                {
                    // Waits for data; the count of a zero-byte read means nothing.
                    _ = await _client.ReadAsync(Memory<byte>.Empty, token);
                }

                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var read = await _client.ReadAsync(buffer, token);
                    if (read == 0)
                    {
                        return true;
                    }

                    await _backend.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
                    BytesToBackend += read;
                    previousFilled = read == buffer.Length;
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task BackendToClientAsync()
    {
        var token = _stop.Token;
        var previousFilled = false;
        try
        {
            while (true)
            {
                if (!previousFilled)
                {
                    _ = await _backend.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token);
                }

                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var read = await _backend.ReceiveAsync(buffer, SocketFlags.None, token);
                    if (read == 0)
                    {
                        return;
                    }

                    await _client.WriteAsync(buffer.AsMemory(0, read), token);
                    BytesToClient += read;
                    previousFilled = read == buffer.Length;
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The backend went away, or the tunnel was ended from outside.
        }
        finally
        {
            // Whatever ended this direction, the client must stop waiting on the other one.
            _stop.Cancel();
        }
    }

    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
