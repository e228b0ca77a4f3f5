using System.Collections.Frozen;
using WsOrleans.Backends;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// Tells a backend grain one-way that one of the edge's connections to it closed, as an edge does when a
/// tunnel ends (<c>EdgeConnections.Close</c>). Also gives each backend a small index for per-backend tallies.
/// </summary>
internal sealed class BackendReleaser
{
    private readonly FrozenDictionary<string, (int Index, IBackendGrain Grain)> _backends;

    public BackendReleaser(IGrainFactory grains, string pool, IReadOnlyList<string> backendIds, string edgeId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(backendIds);
        EdgeId = edgeId;
        BackendIds = backendIds;
        _backends = backendIds
            .Select((id, index) => (id, index))
            .ToFrozenDictionary(b => b.id, b => (b.index, grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, b.id))), StringComparer.Ordinal);
    }

    public string EdgeId { get; }

    public IReadOnlyList<string> BackendIds { get; }

    public int IndexOf(string backendId) => _backends[backendId].Index;

    public void Release(string backendId) => _backends[backendId].Grain.Release(EdgeId).Forget();
}
