using WsOrleans.Routing;

namespace WsOrleans.Balancing;

/// <summary>
/// Picks the candidate with the fewest live connections relative to its weight. Ratios are
/// compared by cross-multiplication in 128 bits, so there is no rounding and no overflow. Ties are
/// broken round robin: the scan starts just after the last pick, so idle backends take turns
/// instead of the first in the list taking every connection until its count comes back.
/// </summary>
internal sealed class LeastConnectionsStrategy : IBalancingStrategy
{
    private int _start;

    public string Name => StrategyNames.LeastConnections;

    public BackendEntry Pick(string? key, IReadOnlyList<BackendEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var count = candidates.Count;
        if (count == 0)
        {
            throw new ArgumentException("There must be at least one candidate.", nameof(candidates));
        }

        var start = _start < count ? _start : 0;
        var bestIndex = start;
        var best = candidates[start];
        for (var step = 1; step < count; step++)
        {
            var index = start + step;
            if (index >= count)
            {
                index -= count;
            }

            var candidate = candidates[index];
            if (IsLessLoaded(candidate, best))
            {
                best = candidate;
                bestIndex = index;
            }
        }

        _start = bestIndex + 1 < count ? bestIndex + 1 : 0;
        return best;
    }

    /// <summary>Whether <c>x.Live / x.Weight &lt; y.Live / y.Weight</c> (weights as ramped by a slow start), without division.</summary>
    private static bool IsLessLoaded(BackendEntry x, BackendEntry y) =>
        (Int128)x.Live * y.WeightPermille < (Int128)y.Live * x.WeightPermille;
}
