using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Balancing;

/// <summary>
/// Makes the strategy a pool's settings name. The name-to-factory table is built once; each call
/// returns a fresh instance because strategies keep per-pool state.
/// </summary>
internal static class BalancingStrategies
{
    private static readonly Dictionary<string, Func<PoolSettings, TimeProvider, IBalancingStrategy>> Factories =
        new(StringComparer.Ordinal)
        {
            [StrategyNames.RoundRobin] = static (_, _) => new RoundRobinStrategy(),
            [StrategyNames.LeastConnections] = static (_, _) => new LeastConnectionsStrategy(),
            [StrategyNames.IpHash] = static (_, _) => new ConsistentHashStrategy(StrategyNames.IpHash),
            [StrategyNames.Hash] = static (_, _) => new ConsistentHashStrategy(StrategyNames.Hash),
            [StrategyNames.Sticky] = static (settings, time) =>
                new StickyStrategy(settings.Affinity?.Ttl ?? AffinitySettings.DefaultTtl, time),
        };

    /// <summary>Returns a new strategy for <paramref name="settings"/>' <see cref="PoolSettings.Strategy"/>, matched exactly.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="StrategyNames.All"/>.</exception>
    public static IBalancingStrategy Create(PoolSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        if (!Factories.TryGetValue(settings.Strategy ?? string.Empty, out var factory))
        {
            throw new ArgumentException(
                $"Pool '{settings.Name}' names an unknown balancing strategy '{settings.Strategy}'; "
                + $"allowed (case-sensitive): {string.Join(", ", StrategyNames.All)}.",
                nameof(settings));
        }

        return factory(settings, time);
    }
}
