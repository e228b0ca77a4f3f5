using System.Net.Security;
using System.Net.Sockets;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>
/// A <c>wss://</c> connection: <see cref="SslStream"/> over the socket. Each send is one TLS record written in one
/// send call, as a plain frame is; a zero-byte receive waits without SslStream's buffer, as on the bare socket.
/// </summary>
internal sealed class TlsTransport : IRawTransport
{
    private readonly Socket _socket;
    private readonly SslStream _tls;

    private TlsTransport(Socket socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    /// <summary>Runs the TLS handshake on a connected socket; on failure the socket is closed.</summary>
    public static async Task<TlsTransport> AuthenticateAsync(Socket socket, ClientTls tls, Uri url, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await stream.AuthenticateAsClientAsync(tls.OptionsFor(url), cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        tls.Record(stream);
        return new TlsTransport(socket, stream);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _tls.ReadAsync(buffer, cancellationToken);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _tls.WriteAsync(data, cancellationToken);

    public void Dispose()
    {
        // The socket first: an abort may come while a read is pending, which closing the socket ends.
        _socket.Dispose();
        _tls.Dispose();
    }
}
