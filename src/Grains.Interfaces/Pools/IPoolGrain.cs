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

    /// <summary>The pool's settings, version and members, for routers; null when the pool does not exist.</summary>
    [Alias("routing"), ReadOnly]
    ValueTask<PoolRouting?> GetRouting();

    /// <summary>The pool's settings and every backend's live state; null when the pool does not exist.</summary>
    [Alias("status"), ReadOnly]
    ValueTask<PoolStatus?> GetStatus();

    /// <summary>
    /// Adds <paramref name="backend"/> to the pool (<see cref="AdminOutcome.Added"/>, at the end of
    /// the member list), or replaces the settings of the member with its id
    /// (<see cref="AdminOutcome.Changed"/>, or <see cref="AdminOutcome.Unchanged"/> when equal).
    /// Refused with <see cref="AdminOutcome.AddressInUse"/> when another member has its address.
    /// The caller validates the settings as configuration does.
    /// </summary>
    [Alias("upsert-backend")]
    ValueTask<AdminResult> UpsertBackend(BackendSettings backend);

    /// <summary>
    /// Removes a member. Refused with <see cref="AdminOutcome.HasConnections"/> while it has live
    /// connections (including handshakes in flight) unless <paramref name="force"/>; a forced
    /// removal leaves its tunnels open, and its backend grain counts them until they close.
    /// </summary>
    [Alias("remove-backend")]
    ValueTask<AdminResult> RemoveBackend(string backendId, bool force);

    /// <summary>
    /// Drains (<see cref="BackendAdminState.Draining"/>: no new connections, open ones stay) or
    /// restores a member. Persisted by the backend grain.
    /// </summary>
    [Alias("set-admin-state")]
    ValueTask<AdminResult> SetAdminState(string backendId, BackendAdminState adminState);

    /// <summary>
    /// Drains a member with a deadline: no new connections, and its open ones are closed (1012) by the
    /// edges, spread evenly until <paramref name="closeWithin"/> from now.
    /// </summary>
    [Alias("drain-within")]
    ValueTask<AdminResult> DrainWithin(string backendId, TimeSpan closeWithin);

    /// <summary>
    /// Starts a rebalancing round now, even when the pool does not rebalance by itself: every backend above
    /// its fair share sheds down to it, at the pool's close rate. Answers the plan.
    /// </summary>
    [Alias("rebalance")]
    ValueTask<RebalancePlan> Rebalance();

    /// <summary>
    /// Replaces the pool's strategy, hash key and affinity. The caller validates them as configuration
    /// does; a name that is not canonical or a missing key the strategy needs throws <see cref="ArgumentException"/>.
    /// </summary>
    [Alias("set-strategy")]
    ValueTask<AdminResult> SetStrategy(StrategySettings strategy);

    /// <summary>A backend grain pushes its new state.</summary>
    [Alias("backend-changed"), OneWay]
    ValueTask OnBackendChanged(BackendView view);
}
