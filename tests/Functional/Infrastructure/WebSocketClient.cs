using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>ClientWebSocket conveniences for tests: whole messages in and out.</summary>
internal static class WebSocketClient
{
    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, cancellationToken);
        return socket;
    }

    /// <summary>Attempts a handshake that is expected to be refused; returns the HTTP status and headers the edge answered with.</summary>
    public static async Task<(int Status, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> RefusedAsync(Uri uri, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cancellationToken));
        return ((int)socket.HttpStatusCode, socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>());
    }

    public static Task SendTextAsync(this WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    public static async Task<string> ReceiveTextAsync(this WebSocket socket, CancellationToken cancellationToken)
    {
        var (type, payload) = await socket.ReceiveMessageAsync(cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>Sends <paramref name="text"/> and returns the text reply.</summary>
    public static async Task<string> AskAsync(this WebSocket socket, string text, CancellationToken cancellationToken)
    {
        await socket.SendTextAsync(text, cancellationToken);
        return await socket.ReceiveTextAsync(cancellationToken);
    }

    /// <summary>Reads one whole message, however many frames it arrives in.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(this WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(64 * 1024), cancellationToken);
            buffer.Advance(result.Count);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer.WrittenSpan.ToArray());
            }
        }
    }

    /// <summary>Closes cleanly (best effort), so the edge sees an ordinary end of tunnel.</summary>
    public static async Task CloseQuietlyAsync(this WebSocket socket, CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        }

        socket.Dispose();
    }
}
