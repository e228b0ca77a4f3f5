namespace WsOrleans.SignalRChat;

/// <summary>
/// The answer to the hub method <c>WhoAmI</c>; on the wire <c>{ "backend", "transport", "connectionId" }</c>.
/// </summary>
/// <param name="Backend">The <see cref="ChatServer.Id"/> of the server that holds the connection.</param>
/// <param name="Transport"><c>WebSockets</c>, <c>ServerSentEvents</c> or <c>LongPolling</c>: the transport this connection uses.</param>
/// <param name="ConnectionId">SignalR's id for the connection.</param>
public sealed record WhoAmIReply(string Backend, string Transport, string ConnectionId);
