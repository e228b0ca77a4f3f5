using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.BackendClient;

/// <summary>The connect to a backend, with a deadline (and TLS for <c>wss://</c>); shared by forwarded handshakes and forwarded HTTP requests.</summary>
internal static class BackendDialer
{
    /// <summary>
    /// A connection to <paramref name="backend"/> ready to carry a tunnel: TCP, and for a <c>wss://</c> backend a TLS
    /// session checked with <paramref name="tls"/>; connect and TLS handshake each within <paramref name="timeout"/>.
    /// </summary>
    public static async ValueTask<ITunnelSide> ConnectAsync(BackendAddress backend, SslClientAuthenticationOptions? tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(backend.Host, backend.Port, timeout, cancellationToken);
        if (!backend.Tls)
        {
            return new SocketSide(socket);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await stream.AuthenticateAsClientAsync(tls ?? new SslClientAuthenticationOptions { TargetHost = backend.Host }, deadline.Token);
            return new TlsSide(stream, socket);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, $"The TLS handshake with {backend.Authority} took longer than {timeout.TotalSeconds:0.###} s.", null, HttpStatusCode.GatewayTimeout);
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>. A connect that takes longer than
    /// <paramref name="timeout"/> fails with an <see cref="HttpRequestException"/> that says so.
    /// </summary>
    public static async ValueTask<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // An IP address gets a socket of its own family (a dual-mode socket costs extra system calls
        // per connect); a host name a dual-mode one, which reaches whichever family it resolves to.
        var endPoint = BackendEndPoints.For(host, port);
        var socket = endPoint is IPEndPoint ip ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connecting to {host}:{port} took longer than {timeout.TotalSeconds:0.###} s.", null, HttpStatusCode.GatewayTimeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
