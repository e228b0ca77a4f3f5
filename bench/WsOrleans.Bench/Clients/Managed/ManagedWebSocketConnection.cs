using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace WsOrleans.Bench.Clients.Managed;

/// <summary><see cref="IWebSocketConnection"/> over the framework's <see cref="ClientWebSocket"/>.</summary>
internal sealed class ManagedWebSocketConnection(ClientWebSocket webSocket, int messageSize) : IWebSocketConnection
{
    private const int NoStatus = 1005;

    // Idle connections only ever receive a close frame or a keep-alive; what lands here is never read, so they
    // all share it instead of each holding a buffer.
    private static readonly byte[] DiscardBuffer = new byte[256];

    private readonly ClientWebSocket _webSocket = webSocket;
    private readonly int _bufferSize = Math.Clamp(messageSize, 256, 64 * 1024);
    private byte[]? _buffer;
    private Task<string>? _idleReceive;

    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _webSocket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer ??= new byte[_bufferSize];
        var total = 0;
        while (true)
        {
            var result = await _webSocket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var status = (int?)_webSocket.CloseStatus ?? NoStatus;
                throw new BenchException(ErrorKinds.ServerClose(status), $"The server closed the WebSocket with status {status}.");
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                return total;
            }
        }
    }

    public async Task<string?> WaitForDropAsync(CancellationToken cancellationToken)
    {
        // Cancelling a ClientWebSocket receive aborts the socket, so the receive is not cancelled: it stays
        // pending, and CloseAsync lets it take the server's close frame.
        _idleReceive ??= ReceiveUntilCloseAsync();
        try
        {
            return await _idleReceive.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            if (_idleReceive is { } pendingReceive)
            {
                await _webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
                var ended = await pendingReceive.WaitAsync(deadline.Token);
                if (_webSocket.State != WebSocketState.Closed)
                {
                    throw new BenchException(ended, $"The close handshake ended with {ended} in state {_webSocket.State}.");
                }
            }
            else
            {
                await _webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
            }
        }
        finally
        {
            _webSocket.Dispose();
        }
    }

    public void Abort() => _webSocket.Abort();

    public void Dispose() => _webSocket.Dispose();

    // Receives and discards until a close frame (its kind is returned) or a failure (its kind is returned).
    private async Task<string> ReceiveUntilCloseAsync()
    {
        try
        {
            while (true)
            {
                var result = await _webSocket.ReceiveAsync(DiscardBuffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return ErrorKinds.ServerClose((int?)_webSocket.CloseStatus ?? NoStatus);
                }
            }
        }
        catch (Exception exception)
        {
            return ErrorKinds.Of(exception);
        }
    }
}
