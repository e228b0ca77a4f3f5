namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// What a tunnel is, for connection logs and metrics: the edge's id for the connection (the
/// handshake request's trace identifier), the client, and the pool and backend it was routed to.
/// </summary>
internal sealed record class TunnelInfo(string ConnectionId, string? ClientAddress, string Pool, string BackendId, string BackendAddress)
{
    public long Started { get; } = Environment.TickCount64;
}
