using WsOrleans.Routing;

namespace WsOrleans.Balancing;

/// <summary>
/// Keeps a client on the backend it was first given, by an affinity key, for as long as the key
/// keeps being used within the time to live. A key whose backend cannot take it now (unhealthy,
/// draining, full or removed) is moved to the least-loaded candidate and stays there, rather than
/// bouncing back later and splitting the client's sessions across two backends.
/// </summary>
internal sealed class StickyStrategy : IBalancingStrategy
{
    /// <summary>The longest time between sweeps of expired bindings.</summary>
    private static readonly TimeSpan MaxSweepInterval = TimeSpan.FromMinutes(1);

    private readonly AffinityTable _table;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sweepInterval;
    private readonly LeastConnectionsStrategy _leastConnections = new();
    private DateTimeOffset _nextSweep;

    /// <param name="ttl">How long a binding lives after its last use; positive.</param>
    /// <param name="time">The clock.</param>
    public StickyStrategy(TimeSpan ttl, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _table = new AffinityTable(ttl);
        _time = time;
        _sweepInterval = ttl < MaxSweepInterval ? ttl : MaxSweepInterval;
        _nextSweep = time.GetUtcNow() + _sweepInterval;
    }

    public string Name => StrategyNames.Sticky;

    /// <summary>How long a binding lives after its last use.</summary>
    public TimeSpan Ttl => _table.Ttl;

    /// <summary>The number of bindings held, including expired ones not yet swept.</summary>
    public int BindingCount => _table.Count;

    public BackendEntry Pick(string? key, IReadOnlyList<BackendEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (string.IsNullOrEmpty(key))
        {
            return _leastConnections.Pick(key, candidates);
        }

        var now = _time.GetUtcNow();
        if (now >= _nextSweep)
        {
            _table.Sweep(now);
            _nextSweep = now + _sweepInterval;
        }

        if (_table.TryGet(key, now, out var boundId))
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (string.Equals(candidates[i].Id, boundId, StringComparison.Ordinal))
                {
                    return candidates[i];
                }
            }
        }

        var picked = _leastConnections.Pick(key, candidates);
        _table.Bind(key, picked.Id, now);
        return picked;
    }
}
