namespace WsOrleans.Bench.Scenarios;

/// <summary>One connect and upgrade: the connection, or null when it failed, and when it started and ended.</summary>
internal readonly record struct ConnectAttempt(Clients.IWebSocketConnection? Connection, long Started, long Completed);
