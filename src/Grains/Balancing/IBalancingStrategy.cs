namespace WsOrleans.Balancing;

/// <summary>
/// Picks a backend for one handshake. One instance serves one pool and may keep state between
/// picks (round-robin position, affinity bindings); it is only called from the pool's routing
/// grain, one call at a time.
/// </summary>
internal interface IBalancingStrategy
{
    /// <summary>One of <see cref="Routing.StrategyNames"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Chooses one of <paramref name="candidates"/> (never empty: only backends that may take a new
    /// connection now). <paramref name="key"/> is the value of the pool's routing key in the
    /// handshake, or null when the strategy reads none or the handshake lacks it.
    /// </summary>
    BackendEntry Pick(string? key, IReadOnlyList<BackendEntry> candidates);
}
