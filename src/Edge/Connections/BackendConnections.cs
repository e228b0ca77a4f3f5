using WsOrleans.Backends;

namespace WsOrleans.Edge.Connections;

/// <summary>This edge's live connections to one backend, and the backend grain that counts them cluster-wide.</summary>
internal sealed class BackendConnections(string pool, string backendId, IBackendGrain grain)
{
    private long _live;

    public string Pool { get; } = pool;

    public string BackendId { get; } = backendId;

    public IBackendGrain Grain { get; } = grain;

    public long Live => Interlocked.Read(ref _live);

    public void Increment() => Interlocked.Increment(ref _live);

    public void Decrement() => Interlocked.Decrement(ref _live);
}
