using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>A tunnel end on a raw socket.</summary>
internal sealed class SocketSide(Socket socket) : ITunnelSide
{
    private int _closed;

    public Socket Socket => socket;

    public ValueTask<int> WaitForDataAsync() => socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

    public ValueTask<int> ReadAsync(Memory<byte> buffer) => socket.ReceiveAsync(buffer, SocketFlags.None);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        // A send on a connected stream socket sends everything or fails; only the count is dropped.
        var send = socket.SendAsync(data, SocketFlags.None);
        return send.IsCompletedSuccessfully ? ValueTask.CompletedTask : Await(send);

        static async ValueTask Await(ValueTask<int> send) => await send;
    }

    public void EndWrites() => Shutdown(socket, SocketShutdown.Send);

    // Shutting down (not disposing) wakes a pending receive with an ordinary end of stream, so
    // ending a tunnel throws no exception on the hot path of every connection's close.
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Shutdown(socket, SocketShutdown.Both);
        }
    }

    public void Dispose()
    {
        Close();
        socket.Dispose();
    }

    private static void Shutdown(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
