using System.Net.Security;
using WsOrleans.Dialing;
using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.BackendClient;

/// <summary>The backend side of a tunnel: a connection from the <see cref="BackendDialer"/>, TLS for <c>wss://</c>.</summary>
internal static class TunnelDialer
{
    /// <summary>
    /// Connects to <paramref name="backend"/>, and for a <c>wss://</c> one runs TLS checked with
    /// <paramref name="validation"/>; the connect and the TLS handshake each within <paramref name="timeout"/>.
    /// </summary>
    public static async ValueTask<ITunnelSide> ConnectAsync(BackendAddress backend, RemoteCertificateValidationCallback? validation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = await BackendDialer.ConnectAsync(backend.Host, backend.Port, timeout, cancellationToken);
        return backend.Tls
            ? new TlsSide(await BackendDialer.AuthenticateAsync(socket, backend.Host, validation, timeout, cancellationToken), socket)
            : new SocketSide(socket);
    }
}
