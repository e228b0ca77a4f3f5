namespace WsOrleans.Admission;

/// <inheritdoc cref="IClientAddressGrain"/>
/// <remarks>
/// Counts are memory only and kept per edge, so a lapsed edge's connections can be dropped on their
/// own. The grain stays alive while the address holds a connection (an idle tunnel must not be
/// forgotten) and leaves as soon as it holds none: a flood of addresses costs no memory afterwards.
/// </remarks>
[KeepAlive]
internal sealed class ClientAddressGrain : Grain, IClientAddressGrain
{
    private readonly Dictionary<string, int> _liveByEdge = new(StringComparer.Ordinal);
    private int _live;

    public ValueTask<bool> Acquire(string edgeId, int limit)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        if (_live >= limit)
        {
            LeaveWhenEmpty();
            return ValueTask.FromResult(false);
        }

        _liveByEdge[edgeId] = _liveByEdge.GetValueOrDefault(edgeId) + 1;
        _live++;
        return ValueTask.FromResult(true);
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

    private void LeaveWhenEmpty()
    {
        if (_live == 0)
        {
            DeactivateOnIdle();
        }
    }
}
