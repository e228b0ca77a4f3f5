using System.Collections.Immutable;

namespace WsOrleans.Pools;

/// <summary>The answer to a request to rebalance: what happens, each routable backend's share and closes, and the rate.</summary>
/// <param name="Outcome">Whether a round runs, and if not, why.</param>
/// <param name="Backends">The pool's routable backends (active, not unhealthy) with their shares; empty when the pool is unknown.</param>
/// <param name="MaxClosesPerSecond">The pool's close rate, all edges together.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.rebalance-plan")]
public sealed record class RebalancePlan(
    [property: Id(0)] RebalanceOutcome Outcome,
    [property: Id(1)] ImmutableArray<BackendPlan> Backends,
    [property: Id(2)] int MaxClosesPerSecond)
{
    /// <summary>Connections the round closes in all.</summary>
    public long Closes => Backends.IsDefaultOrEmpty ? 0 : Backends.Sum(b => b.Closes);
}
