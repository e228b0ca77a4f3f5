using System.Collections.Concurrent;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Connections;

/// <summary>
/// The connections this edge carries, per backend. A connection is counted from the moment the
/// routing grain reserved it until its tunnel ends, when the backend grain is told one-way: the
/// data path never waits on the cluster.
/// </summary>
internal sealed class EdgeConnections(IGrainFactory grains, WsOrleansSettings settings)
{
    private readonly ConcurrentDictionary<(string Pool, string BackendId), BackendConnections> _backends = new();

    public string EdgeId { get; } = settings.Edge.Id;

    /// <summary>Counts a connection the routing grain reserved for this edge.</summary>
    public BackendConnections Open(string pool, string backendId)
    {
        var backend = _backends.GetOrAdd(
            (pool, backendId),
            static (key, grains) => new BackendConnections(key.Pool, key.BackendId, grains.GetGrain<IBackendGrain>(BackendKey.Format(key.Pool, key.BackendId))),
            grains);
        backend.Increment();
        return backend;
    }

    /// <summary>The connection ended (or never started): stop counting it here and in the cluster.</summary>
    public void Close(BackendConnections backend)
    {
        backend.Decrement();
        backend.Grain.Release(EdgeId).Forget();
    }
}
