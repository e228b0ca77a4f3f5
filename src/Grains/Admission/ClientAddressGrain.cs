using WsOrleans.Edges;

namespace WsOrleans.Admission;

/// <inheritdoc cref="IClientAddressGrain"/>
/// <remarks>
/// Counts are memory only and kept per edge, so a lapsed edge's connections can be dropped on their
/// own: when the address is at its cap, counts of edges the edge registry no longer lists (killed,
/// their lease lapsed) are forgotten before the new connection is refused, so a crashed edge does
/// not lock its clients' addresses out. The grain stays alive while the address holds a connection
/// (an idle tunnel must not be forgotten) and leaves as soon as it holds none: a flood of addresses
/// costs no memory afterwards.
/// </remarks>
[KeepAlive]
internal sealed class ClientAddressGrain(TimeProvider time) : Grain, IClientAddressGrain
{
    // How often a capped address may ask the edge registry which edges are alive (a client
    // hammering at its cap must not turn every refused handshake into a registry call).
    private static readonly TimeSpan LapsedEdgesCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, int> _liveByEdge = new(StringComparer.Ordinal);
    private int _live;
    private DateTimeOffset _lastLapsedEdgesCheck = DateTimeOffset.MinValue;

    public async ValueTask<bool> Acquire(string edgeId, int limit)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        if (_live >= limit && _liveByEdge.Keys.Any(e => e != edgeId) && time.GetUtcNow() - _lastLapsedEdgesCheck >= LapsedEdgesCheckInterval)
        {
            await ForgetLapsedEdgesAsync(edgeId);
        }

        if (_live >= limit)
        {
            LeaveWhenEmpty();
            return false;
        }

        _liveByEdge[edgeId] = _liveByEdge.GetValueOrDefault(edgeId) + 1;
        _live++;
        return true;
    }

    public ValueTask Release(string edgeId)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        if (_liveByEdge.TryGetValue(edgeId, out var live) && live > 0)
        {
            _live--;
            if (live == 1)
            {
                _liveByEdge.Remove(edgeId);
            }
            else
            {
                _liveByEdge[edgeId] = live - 1;
            }
        }

        LeaveWhenEmpty();
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> Count() => ValueTask.FromResult(_live);

    /// <summary>Drops the counts of edges whose lease has lapsed; <paramref name="caller"/> is alive, whatever the registry says yet.</summary>
    private async Task ForgetLapsedEdgesAsync(string caller)
    {
        _lastLapsedEdgesCheck = time.GetUtcNow();
        var alive = (await GrainFactory.GetGrain<IEdgeRegistryGrain>(0).GetEdges()).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        alive.Add(caller);
        foreach (var edge in _liveByEdge.Keys.Where(e => !alive.Contains(e)).ToList())
        {
            _live -= _liveByEdge[edge];
            _liveByEdge.Remove(edge);
        }
    }

    private void LeaveWhenEmpty()
    {
        if (_live == 0)
        {
            DeactivateOnIdle();
        }
    }
}
