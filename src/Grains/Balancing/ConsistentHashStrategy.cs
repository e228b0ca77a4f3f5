using WsOrleans.Routing;

namespace WsOrleans.Balancing;

/// <summary>
/// Consistent hashing by weighted rendezvous (highest random weight) hashing, for both
/// <c>IpHash</c> and <c>Hash</c>. Each candidate scores a key independently of the others, so
/// removing a backend moves only the keys it held and adding one moves only the keys it wins
/// (about 1/(N+1)), with no ring to rebuild and nothing allocated per pick. The score
/// <c>-ln(u) / weight</c> makes a backend's share of keys proportional to its weight.
/// A handshake without the key is balanced by least connections instead.
/// </summary>
internal sealed class ConsistentHashStrategy : IBalancingStrategy
{
    /// <summary>2^-53: turns the top 53 bits of a hash into a double in (0, 1].</summary>
    private const double UnitScale = 1.0 / (1UL << 53);

    private readonly LeastConnectionsStrategy _fallback = new();

    /// <param name="name"><see cref="StrategyNames.IpHash"/> or <see cref="StrategyNames.Hash"/>.</param>
    public ConsistentHashStrategy(string name)
    {
        if (name != StrategyNames.IpHash && name != StrategyNames.Hash)
        {
            throw new ArgumentException(
                $"Consistent hashing serves '{StrategyNames.IpHash}' or '{StrategyNames.Hash}', not '{name}'.",
                nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    public BackendEntry Pick(string? key, IReadOnlyList<BackendEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (string.IsNullOrEmpty(key))
        {
            return _fallback.Pick(key, candidates);
        }

        if (candidates.Count == 0)
        {
            throw new ArgumentException("There must be at least one candidate.", nameof(candidates));
        }

        var keyHash = StableHash.Of(key);
        var best = candidates[0];
        var bestScore = Score(keyHash, best);
        for (var i = 1; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var score = Score(keyHash, candidate);
            if (score < bestScore || (score == bestScore && candidate.IdHash < best.IdHash))
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>An exponential variate with rate <c>weight</c>, fixed by the key and the backend; lowest wins.</summary>
    private static double Score(ulong keyHash, BackendEntry candidate)
    {
        var u = ((StableHash.Mix(keyHash, candidate.IdHash) >> 11) + 1) * UnitScale;
        return -Math.Log(u) / Math.Max(1, candidate.Weight);
    }
}
