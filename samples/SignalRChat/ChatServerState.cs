namespace WsOrleans.SignalRChat;

/// <summary>What the hub and the public <see cref="ChatServer"/> share: the id and the live counts.</summary>
internal sealed class ChatServerState(string id)
{
    private int _openConnections;
    private long _totalConnections;

    public string Id { get; } = id;

    public int OpenConnections => Volatile.Read(ref _openConnections);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>SignalR calls the hub's disconnect once for every connect, so the pair keeps the count exact.</summary>
    public void Connected()
    {
        Interlocked.Increment(ref _totalConnections);
        Interlocked.Increment(ref _openConnections);
    }

    public void Disconnected() => Interlocked.Decrement(ref _openConnections);
}
