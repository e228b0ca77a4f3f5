namespace WsOrleans.Edge.Upgrade;

/// <summary>Why a request on a pool's path is not a WebSocket handshake the edge will forward, and what to answer.</summary>
internal sealed record class HandshakeProblem(int StatusCode, string Message, string? HeaderName = null, string? HeaderValue = null);
