using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>
/// Opens <see cref="RawWebSocketConnection"/>s: TCP connect, for <c>wss://</c> a TLS handshake, upgrade request, check
/// of the 101.
/// </summary>
internal sealed class RawWebSocketConnector(IPEndPoint endPoint, Uri url, int messageSize, ClientTls tls) : IWebSocketConnector
{
    private readonly IPEndPoint _endPoint = endPoint;
    private readonly Uri _url = url;
    private readonly RawHandshake _handshake = new(url);
    private readonly int _messageSize = messageSize;
    private readonly ClientTls? _tls = url.Scheme == "wss" ? tls : null;

    public string Name => WebSocketClients.Raw;

    public string? NegotiatedTls => _tls?.Negotiated;

    public async Task<IWebSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        // The response is read into the first MaxResponseLength bytes; the expected accept value sits after them.
        var buffer = ArrayPool<byte>.Shared.Rent(RawHandshake.MaxResponseLength + RawHandshake.AcceptLength);
        IRawTransport transport = new SocketTransport(socket);
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken);
            if (_tls is not null)
            {
                transport = await TlsTransport.AuthenticateAsync(socket, _tls, _url, cancellationToken);
            }

            var requestLength = _handshake.RequestLength;
            var expectedAccept = buffer.AsMemory(RawHandshake.MaxResponseLength, RawHandshake.AcceptLength);
            _handshake.WriteRequest(buffer.AsSpan(0, requestLength), expectedAccept.Span);
            await transport.SendAsync(buffer.AsMemory(0, requestLength), cancellationToken);

            var received = 0;
            int headEnd;
            while ((headEnd = RawHandshake.FindResponseEnd(buffer.AsSpan(0, received))) < 0)
            {
                if (received == RawHandshake.MaxResponseLength)
                {
                    throw new BenchException(ErrorKinds.BadHandshake, $"The answer to the upgrade has over {RawHandshake.MaxResponseLength} bytes of headers.");
                }

                var count = await transport.ReceiveAsync(buffer.AsMemory(received, RawHandshake.MaxResponseLength - received), cancellationToken);
                if (count == 0)
                {
                    throw new BenchException(ErrorKinds.ConnectionClosed, "The server closed the connection before answering the upgrade.");
                }

                received += count;
            }

            RawHandshake.ValidateResponse(buffer.AsSpan(0, headEnd), expectedAccept.Span);
            return new RawWebSocketConnection(transport, _messageSize, buffer.AsSpan(headEnd, received - headEnd));
        }
        catch
        {
            transport.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
    }
}
