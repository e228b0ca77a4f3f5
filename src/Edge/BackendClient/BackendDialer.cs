using System.Net;
using System.Net.Sockets;

namespace WsOrleans.Edge.BackendClient;

/// <summary>The TCP connect to a backend, with a deadline; shared by forwarded handshakes and forwarded HTTP requests.</summary>
internal static class BackendDialer
{
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
