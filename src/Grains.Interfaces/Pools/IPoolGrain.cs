using WsOrleans.Backends;
using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>
/// A pool's routing grain (key: the pool's name). Holds the pool's settings and a snapshot of each
/// backend, and picks a backend for each handshake, reserving the connection in the same turn.
/// </summary>
[Alias("wsorleans.pool")]
public interface IPoolGrain : IGrainWithStringKey
{
    /// <summary>Picks a backend for one handshake and reserves the connection on it.</summary>
    [Alias("route")]
    ValueTask<RouteResult> Route(RouteRequest request);

    /// <summary>
    /// Applies a definition from configuration. Seeding the same definition again changes nothing,
    /// so every process may seed the pools it is configured with.
    /// </summary>
    [Alias("seed")]
    ValueTask Seed(PoolDefinition definition);

    /// <summary>
    /// Makes sure the pool exists and the registry lists it, without changing a pool that exists:
    /// seeds <paramref name="definition"/> only when the pool has no state (memory state lost with a
    /// silo), and otherwise republishes its route. Processes call it periodically to heal.
    /// </summary>
    [Alias("repair")]
    ValueTask Repair(PoolDefinition definition);

    /// <summary>The pool's settings and every backend's live state; null when the pool does not exist.</summary>
    [Alias("status"), ReadOnly]
    ValueTask<PoolStatus?> GetStatus();

    /// <summary>A backend grain pushes its new state.</summary>
    [Alias("backend-changed"), OneWay]
    ValueTask OnBackendChanged(BackendView view);
}
