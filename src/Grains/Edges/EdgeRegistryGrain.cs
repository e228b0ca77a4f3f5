using System.Collections.Immutable;

namespace WsOrleans.Edges;

/// <inheritdoc cref="IEdgeRegistryGrain"/>
/// <remarks>Memory state: every live edge re-registers with each heartbeat, several per lease time.</remarks>
[KeepAlive]
internal sealed class EdgeRegistryGrain(TimeProvider time) : Grain, IEdgeRegistryGrain
{
    private readonly Dictionary<string, EdgeStatus> _edges = new(StringComparer.Ordinal);

    public ValueTask Update(EdgeStatus edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        _edges[edge.Id] = edge;
        foreach (var lapsed in _edges.Values.Where(e => e.LeaseExpires < edge.LastHeartbeat).Select(e => e.Id).ToList())
        {
            _edges.Remove(lapsed);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask Remove(string edgeId)
    {
        _edges.Remove(edgeId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ImmutableArray<EdgeStatus>> GetEdges()
    {
        var now = time.GetUtcNow();
        return ValueTask.FromResult<ImmutableArray<EdgeStatus>>(
            [.. _edges.Values.Where(e => e.LeaseExpires > now).OrderBy(e => e.Id, StringComparer.Ordinal)]);
    }
}
