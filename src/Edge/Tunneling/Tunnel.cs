using System.Buffers;
using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Carries an upgraded connection's bytes between the client and the backend. Each direction waits
/// for data with a zero-byte read and only then rents a buffer, so an idle tunnel holds no buffer;
/// a busy one reads again at once while reads keep filling the buffer. When one side ends, the
/// other is closed, as nginx and HAProxy do.
/// </summary>
internal sealed class Tunnel(ITunnelSide client, ITunnelSide backend, bool detached)
{
    private const int BufferSize = 16 * 1024;

    private long _lastActivity = Environment.TickCount64;
    private int _ended;

    /// <summary>Whether the client connection left the HTTP server (carried socket to socket).</summary>
    public bool Detached { get; } = detached;

    public long BytesToBackend { get; private set; }

    public long BytesToClient { get; private set; }

    /// <summary>Milliseconds (of <see cref="Environment.TickCount64"/>) when a byte last moved either way.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public TunnelEnd EndedBy { get; private set; } = TunnelEnd.Client;

    /// <summary>
    /// Carries bytes both ways until one side ends, then closes and releases both. What each side
    /// sent before the tunnel began that no one has read yet (<paramref name="fromClient"/>,
    /// <paramref name="fromBackend"/>) goes first.
    /// </summary>
    public async Task<TunnelEnd> RunAsync(ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        var toBackend = CopyAsync(client, backend, fromClient, toClient: false);
        var toClient = CopyAsync(backend, client, fromBackend, toClient: true);
        if (await Task.WhenAny(toBackend, toClient) == toBackend)
        {
            if (toBackend.Result)
            {
                // The client finished sending: pass the end on and let the backend finish its side.
                backend.EndWrites();
                await toClient;
            }

            End(TunnelEnd.Client);
        }
        else
        {
            End(TunnelEnd.Backend);
        }

        await Task.WhenAll(toBackend, toClient);
        client.Dispose();
        backend.Dispose();
        return EndedBy;
    }

    /// <summary>Ends the tunnel, closing both sides; the first reason given is the one reported.</summary>
    public void End(TunnelEnd reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            EndedBy = reason;
            client.Close();
            backend.Close();
        }
    }

    /// <summary>True when <paramref name="from"/> ended its side cleanly; false on error or when closed.</summary>
    private async Task<bool> CopyAsync(ITunnelSide from, ITunnelSide to, ReadOnlyMemory<byte> first, bool toClient)
    {
        try
        {
            if (!first.IsEmpty)
            {
                await to.WriteAsync(first);
                Count(first.Length, toClient);
            }

            var previousFilled = false;
            while (true)
            {
                if (!previousFilled)
                {
                    _ = await from.WaitForDataAsync();
                }

                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var read = await from.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return true;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read));
                    Count(read, toClient);
                    previousFilled = read == buffer.Length;
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

    private void Count(int bytes, bool toClient)
    {
        if (toClient)
        {
            BytesToClient += bytes;
        }
        else
        {
            BytesToBackend += bytes;
        }

        Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
    }
}
