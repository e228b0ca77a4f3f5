using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>Opens <see cref="RawWebSocketConnection"/>s: TCP connect, upgrade request, check of the 101.</summary>
internal sealed class RawWebSocketConnector(IPEndPoint endPoint, Uri url, int messageSize) : IWebSocketConnector
{
    private readonly IPEndPoint _endPoint = endPoint;
    private readonly RawHandshake _handshake = new(url);
    private readonly int _messageSize = messageSize;

    public string Name => WebSocketClients.Raw;

    public async Task<IWebSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        // The response is read into the first MaxResponseLength bytes; the expected accept value sits after them.
        var buffer = ArrayPool<byte>.Shared.Rent(RawHandshake.MaxResponseLength + RawHandshake.AcceptLength);
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken);

            var requestLength = _handshake.RequestLength;
            var expectedAccept = buffer.AsMemory(RawHandshake.MaxResponseLength, RawHandshake.AcceptLength);
            _handshake.WriteRequest(buffer.AsSpan(0, requestLength), expectedAccept.Span);
            var request = buffer.AsMemory(0, requestLength);
            while (!request.IsEmpty)
            {
                request = request[await socket.SendAsync(request, SocketFlags.None, cancellationToken)..];
            }

            var received = 0;
            int headEnd;
            while ((headEnd = RawHandshake.FindResponseEnd(buffer.AsSpan(0, received))) < 0)
            {
                if (received == RawHandshake.MaxResponseLength)
                {
                    throw new BenchException(ErrorKinds.BadHandshake, $"The answer to the upgrade has over {RawHandshake.MaxResponseLength} bytes of headers.");
                }

                var count = await socket.ReceiveAsync(buffer.AsMemory(received, RawHandshake.MaxResponseLength - received), SocketFlags.None, cancellationToken);
                if (count == 0)
                {
                    throw new BenchException(ErrorKinds.ConnectionClosed, "The server closed the connection before answering the upgrade.");
                }

                received += count;
            }

            RawHandshake.ValidateResponse(buffer.AsSpan(0, headEnd), expectedAccept.Span);
            return new RawWebSocketConnection(socket, _messageSize, buffer.AsSpan(headEnd, received - headEnd));
        }
        catch
        {
            socket.Dispose();
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
