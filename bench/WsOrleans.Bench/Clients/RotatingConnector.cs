namespace WsOrleans.Bench.Clients;

/// <summary>Several URLs (several edges of one cluster, say): each new connection goes to the next one.</summary>
internal sealed class RotatingConnector(IReadOnlyList<IWebSocketConnector> connectors) : IWebSocketConnector
{
    private int _next = -1;

    public string Name => connectors[0].Name;

    public string? NegotiatedTls => connectors.Select(connector => connector.NegotiatedTls).FirstOrDefault(tls => tls is not null);

    public Task<IWebSocketConnection> ConnectAsync(CancellationToken cancellationToken) =>
        connectors[(int)((uint)Interlocked.Increment(ref _next) % (uint)connectors.Count)].ConnectAsync(cancellationToken);

    public void Dispose()
    {
        foreach (var connector in connectors)
        {
            connector.Dispose();
        }
    }
}
