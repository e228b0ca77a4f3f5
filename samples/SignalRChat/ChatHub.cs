using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace WsOrleans.SignalRChat;

/// <summary>
/// The hub at <c>{BasePath}/hub</c>: who am I (which backend, which transport), an echo, and a chat room of
/// the clients connected to this one server.
/// </summary>
internal sealed partial class ChatHub(ChatServerState state, ILogger<ChatHub> logger) : Hub
{
    /// <summary>The client method <see cref="Send"/> calls on every client: <c>message(name, text, backend)</c>.</summary>
    public const string MessageMethod = "message";

    public override Task OnConnectedAsync()
    {
        state.Connected();
        Log.Connected(logger, Context.ConnectionId, Transport());
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        state.Disconnected();
        Log.Disconnected(logger, Context.ConnectionId, exception?.Message ?? "closed");
        return base.OnDisconnectedAsync(exception);
    }

    public WhoAmIReply WhoAmI() => new(state.Id, Transport(), Context.ConnectionId);

    public string Echo(string text) => text;

    public Task Send(string name, string text) =>
        Clients.All.SendAsync(MessageMethod, name, text, state.Id, Context.ConnectionAborted);

    private string Transport() => Context.Features.Get<IHttpTransportFeature>()?.TransportType.ToString() ?? "unknown";

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened over {Transport}")]
        public static partial void Connected(ILogger logger, string connectionId, string transport);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended: {Reason}")]
        public static partial void Disconnected(ILogger logger, string connectionId, string reason);
    }
}
