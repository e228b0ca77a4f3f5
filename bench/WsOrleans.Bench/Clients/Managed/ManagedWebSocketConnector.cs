using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace WsOrleans.Bench.Clients.Managed;

/// <summary>
/// Opens <see cref="ClientWebSocket"/>s through one shared <see cref="SocketsHttpHandler"/>, dialling the same
/// pre-resolved endpoint as the raw client so both pay for the same TCP work.
/// </summary>
internal sealed class ManagedWebSocketConnector : IWebSocketConnector
{
    private readonly Uri _url;
    private readonly int _messageSize;
    private readonly HttpMessageInvoker _invoker;

    public ManagedWebSocketConnector(IPEndPoint endPoint, Uri url, int messageSize, ClientTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(endPoint);
        _url = url;
        _messageSize = messageSize;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // The handler sets the host name itself; the rest (trust, no resumption) is the raw client's.
            SslOptions = tls.OptionsFor(url),
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _invoker = new HttpMessageInvoker(handler);
    }

    public string Name => WebSocketClients.Managed;

    public string? NegotiatedTls => null;

    public async Task<IWebSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var webSocket = new ClientWebSocket();
        // No keep-alive frames: the raw client sends none either, and hold must stay idle.
        webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        webSocket.Options.CollectHttpResponseDetails = true;
        try
        {
            await webSocket.ConnectAsync(_url, _invoker, cancellationToken);
        }
        catch (WebSocketException exception) when (webSocket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            var status = (int)webSocket.HttpStatusCode;
            webSocket.Dispose();
            throw new BenchException(ErrorKinds.Http(status), $"The server answered HTTP {status} instead of 101 Switching Protocols ({exception.Message}).");
        }
        catch
        {
            webSocket.Dispose();
            throw;
        }

        // Kept only to read the status of a failed handshake; drop them for the connection's lifetime.
        webSocket.HttpResponseHeaders = null;
        return new ManagedWebSocketConnection(webSocket, _messageSize);
    }

    public void Dispose() => _invoker.Dispose();
}
