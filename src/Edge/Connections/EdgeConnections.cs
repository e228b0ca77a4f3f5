using System.Collections.Concurrent;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Connections;

/// <summary>
/// The connections this edge carries, per backend. A connection is counted from the moment the
/// routing grain reserved it until its tunnel ends, when the backend grain is told one-way: the
/// data path never waits on the cluster. The heartbeat re-reports these counts as the truth.
/// </summary>
internal sealed class EdgeConnections(IGrainFactory grains, WsOrleansSettings settings)
{
    private readonly ConcurrentDictionary<(string Pool, string BackendId), BackendConnections> _backends = new();

    public string EdgeId { get; } = settings.Edge.Id;

    /// <summary>Every backend this edge has carried connections to.</summary>
    public ICollection<BackendConnections> Backends => _backends.Values;

    /// <summary>Raised when the edge carries a connection to a backend for the first time, so the heartbeat reports it soon.</summary>
    public event Action? BackendAdded;

    /// <summary>This edge's connections to one backend, or null when it never carried any.</summary>
    public BackendConnections? Find(string pool, string backendId) => _backends.GetValueOrDefault((pool, backendId));

    /// <summary>Counts a connection the routing grain reserved for this edge (<paramref name="reservation"/>).</summary>
    public BackendConnections Open(string pool, string backendId, ReservationMark? reservation)
    {
        var key = (pool, backendId);
        if (!_backends.TryGetValue(key, out var backend))
        {
            var created = new BackendConnections(pool, backendId, grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, backendId)));
            backend = _backends.GetOrAdd(key, created);
            if (ReferenceEquals(backend, created))
            {
                BackendAdded?.Invoke();
            }
        }

        backend.Increment(reservation);
        return backend;
    }

    /// <summary>The connection ended (or never started): stop counting it here and in the cluster.</summary>
    public void Close(BackendConnections backend)
    {
        backend.Grain.ReleaseNumbered(EdgeId, backend.Decrement()).Forget();
    }
}
