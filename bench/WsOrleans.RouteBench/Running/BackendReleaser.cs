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

    /// <summary>
    /// Gives the benchmark's edge a lease longer than any run, as an edge's first heartbeat does: an edge never
    /// heard from has its count dropped after 15 s, which would zero the counts in the middle of a run. One
    /// report with nothing live is enough; what is reserved and released after it is counted on top of it.
    /// </summary>
    public Task TakeLeaseAsync() => Task.WhenAll(_backends.Values.Select(b => b.Grain.Report(
        new EdgeReport(EdgeId, Guid.NewGuid(), Sequence: 1, LeaseTime: TimeSpan.FromDays(1), Live: 0, Released: 0, Seen: [], HeartbeatInterval: TimeSpan.FromDays(1))).AsTask()));
}
