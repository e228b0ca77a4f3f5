using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace WsOrleans.EchoBackend;

/// <summary>
/// One accepted WebSocket: streams every frame back as it arrives and answers the control messages.
/// </summary>
internal sealed partial class EchoSession(
    WebSocket webSocket,
    HttpContext context,
    string? subProtocol,
    EchoServerState state,
    EchoServerState.SessionLease lease,
    ILogger logger)
{
    private const int ReceiveBufferSize = 16 * 1024;

    /// <summary>How long a server-initiated close waits for the client's answer before giving up.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A server that speaks first: its first bytes may travel in the same packet as the 101.
        if (context.Request.Query["greeting"] is { Count: > 0 } greeting)
        {
            await webSocket.SendAsync(Encoding.UTF8.GetBytes(greeting.ToString()), WebSocketMessageType.Text, true, cancellationToken);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            var atMessageStart = true;
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(0, ReceiveBufferSize), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync(cancellationToken);
                    return;
                }

                var payload = buffer.AsMemory(0, result.Count);
                if (atMessageStart && result.EndOfMessage && result.MessageType == WebSocketMessageType.Text
                    && result.Count <= ControlMessage.MaxLength)
                {
                    var command = ControlMessage.Parse(payload.Span);
                    if (command.Kind == ControlMessageKind.Close)
                    {
                        await CloseAsync(command.CloseStatus, command.CloseReason, cancellationToken);
                        return;
                    }

                    if (command.Kind != ControlMessageKind.None)
                    {
                        await ReplyAsync(command.Kind, cancellationToken);
                        continue;
                    }
                }

                await webSocket.SendAsync(payload, result.MessageType, result.EndOfMessage, cancellationToken);
                atMessageStart = result.EndOfMessage;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task ReplyAsync(ControlMessageKind kind, CancellationToken cancellationToken)
    {
        var reply = kind == ControlMessageKind.WhoAmI
            ? Encoding.UTF8.GetBytes(state.Id)
            : EchoJson.Handshake(state.Id, context.Request, subProtocol);
        return webSocket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    // The client closed: answer with its own code and reason.
    private async Task AnswerCloseAsync(CancellationToken cancellationToken)
    {
        var status = webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
        var reason = webSocket.CloseStatusDescription;
        Log.ClientClosed(logger, (int)status, reason);
        lease.Release();
        await webSocket.CloseOutputAsync(status, reason, cancellationToken);
    }

    // The client asked for a server-initiated close: send it and wait, briefly, for the client's answer.
    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        Log.ServerClosing(logger, (int)status, reason);
        lease.Release();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseHandshakeTimeout);
        await webSocket.CloseAsync(status, reason, timeout.Token);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Client closed with {CloseStatus} '{CloseReason}'; answering with the same")]
        public static partial void ClientClosed(ILogger logger, int closeStatus, string? closeReason);

        [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Closing from the server with {CloseStatus} '{CloseReason}' as asked")]
        public static partial void ServerClosing(ILogger logger, int closeStatus, string closeReason);
    }
}
