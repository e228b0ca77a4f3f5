using System.Net.Security;
using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// A tunnel end on a TLS connection the edge made (a <c>wss://</c> backend). SslStream supports
/// zero-byte reads, so an idle TLS tunnel holds no buffer either; shutting the socket down ends
/// pending reads.
/// </summary>
internal sealed class TlsSide(SslStream tls, Socket socket) : ITunnelSide
{
    private int _closed;

    public ValueTask<int> WaitForDataAsync() => tls.ReadAsync(Memory<byte>.Empty);

    public ValueTask<int> ReadAsync(Memory<byte> buffer) => tls.ReadAsync(buffer);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data) => tls.WriteAsync(data);

    public void EndWrites()
    {
        // A TLS stream ends with close_notify and the connection; it is not half-closed.
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }

    public void Dispose()
    {
        Close();
        tls.Dispose();
        socket.Dispose();
    }
}
