using WsOrleans.Backends;

namespace WsOrleans.Edge.Connections;

/// <summary>This edge's live connections to one backend, and the backend grain that counts them cluster-wide.</summary>
internal sealed class BackendConnections(string pool, string backendId, IBackendGrain grain)
{
    private long _live;
    private int _failed;

    public string Pool { get; } = pool;

    public string BackendId { get; } = backendId;

    public IBackendGrain Grain { get; } = grain;

    public long Live => Interlocked.Read(ref _live);

    public void Increment() => Interlocked.Increment(ref _live);

    public void Decrement() => Interlocked.Decrement(ref _live);

    /// <summary>Notes that this edge reported a failure of the backend.</summary>
    public void MarkFailed() => Volatile.Write(ref _failed, 1);

    /// <summary>Whether a failure was reported since the last call: a success must then be reported too, to reset the count.</summary>
    public bool TakeFailed() => Volatile.Read(ref _failed) == 1 && Interlocked.Exchange(ref _failed, 0) == 1;
}
