using System.Net.Security;
using System.Net.Sockets;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>A probe's connection to a backend: TCP, then TLS for <c>wss://</c> under the pool's certificate rules.</summary>
internal static class ProbeConnection
{
    public static async Task<Stream> OpenAsync(Uri address, BackendTlsSettings tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.IdnHost, address.Port, cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            if (!IsSecure(address))
            {
                return stream;
            }

            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(ClientOptions(address, tls), cancellationToken);
                return ssl;
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsSecure(Uri address) => address.Scheme == "wss";

    public static SslClientAuthenticationOptions ClientOptions(Uri address, BackendTlsSettings tls) => new()
    {
        TargetHost = address.IdnHost,
        RemoteCertificateValidationCallback = BackendCertificates.Validator(tls) is { } validate
            ? (_, certificate, chain, errors) => validate(certificate, chain, errors)
            : null,
    };
}
