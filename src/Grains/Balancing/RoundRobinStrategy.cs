using System.Runtime.InteropServices;
using WsOrleans.Routing;

namespace WsOrleans.Balancing;

/// <summary>
/// Smooth weighted round robin as nginx does it: each pick adds every candidate's weight to its
/// current weight, takes the highest, and charges it the total. Weights 5, 1, 1 give
/// <c>a a b a c a a</c> rather than <c>a a a a a b c</c>, so a heavy backend never takes a burst.
/// Current weights are kept by id, so a backend that leaves the candidates for a while (full,
/// unhealthy) keeps its place and the others keep their order.
/// </summary>
internal sealed class RoundRobinStrategy : IBalancingStrategy
{
    /// <summary>Picks between sweeps of ids that stopped being candidates.</summary>
    private const long PruneInterval = 4096;

    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private long _picks;

    public string Name => StrategyNames.RoundRobin;

    /// <summary>The number of backends whose current weight is remembered; for tests.</summary>
    internal int TrackedCount => _states.Count;

    public BackendEntry Pick(string? key, IReadOnlyList<BackendEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("There must be at least one candidate.", nameof(candidates));
        }

        _picks++;
        long total = 0;
        BackendEntry? best = null;
        long bestCurrent = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var weight = candidate.WeightPermille;
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, candidate.Id, out _);
            state.Current += weight;
            state.LastSeen = _picks;
            total += weight;
            if (best is null || state.Current > bestCurrent)
            {
                best = candidate;
                bestCurrent = state.Current;
            }
        }

        CollectionsMarshal.GetValueRefOrNullRef(_states, best!.Id).Current -= total;

        if (_picks % PruneInterval == 0 && _states.Count > candidates.Count)
        {
            Prune();
        }

        return best;
    }

    /// <summary>Forgets ids that have not been candidates for a whole interval.</summary>
    private void Prune()
    {
        foreach (var (id, state) in _states)
        {
            if (_picks - state.LastSeen >= PruneInterval)
            {
                _states.Remove(id);
            }
        }
    }

    private struct State
    {
        public long Current;
        public long LastSeen;
    }
}
