using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace WsOrleans.Dialing;

/// <summary>
/// The one way to connect to a backend, shared by the edges (handshakes, plain requests) and the silos (health
/// probes): TCP with a deadline, then for <c>wss://</c> a TLS handshake with a deadline, checked under the pool's
/// certificate rules (<see cref="BackendCertificates"/>). Failures are <see cref="HttpRequestException"/>s that say why.
/// </summary>
internal static class BackendDialer
{
    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
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

    /// <summary>
    /// Runs a TLS handshake with <paramref name="host"/> on <paramref name="socket"/> within <paramref name="timeout"/>,
    /// checking the certificate with <paramref name="validation"/> (a <see cref="BackendCertificates.Callback"/>; null
    /// for the machine's roots). The stream does not own the socket; on failure both are disposed.
    /// </summary>
    public static async ValueTask<SslStream> AuthenticateAsync(Socket socket, string host, RemoteCertificateValidationCallback? validation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            var options = new SslClientAuthenticationOptions { TargetHost = host, RemoteCertificateValidationCallback = validation };
            await stream.AuthenticateAsClientAsync(options, deadline.Token);
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, $"The TLS handshake with {host} took longer than {timeout.TotalSeconds:0.###} s.", null, HttpStatusCode.GatewayTimeout);
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }
    }
}
