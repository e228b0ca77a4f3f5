using System.Collections.Frozen;
using WsOrleans.Backends;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// One of the benchmark's edges: tells a backend grain one-way that connections of its closed, numbered and sent
/// together when they come fast, as an edge does when tunnels end (<c>EdgeConnections.Close</c>). Also gives each
/// backend a small index for per-backend tallies.
/// </summary>
internal sealed class BackendReleaser
{
    /// <summary>As an edge's (<c>EdgeConnections.ReleaseInterval</c>).</summary>
    private static readonly TimeSpan ReleaseInterval = TimeSpan.FromMilliseconds(1);

    private readonly FrozenDictionary<string, Backend> _backends;
    private readonly Guid _instance = Guid.NewGuid();
    private bool _leased;

    public BackendReleaser(IGrainFactory grains, string pool, IReadOnlyList<string> backendIds, string edgeId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(backendIds);
        EdgeId = edgeId;
        BackendIds = backendIds;
        _backends = backendIds
            .Select((id, index) => new Backend(index, grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, id)), edgeId, _instance))
            .ToFrozenDictionary(b => backendIds[b.Index], StringComparer.Ordinal);
    }

    public string EdgeId { get; }

    public IReadOnlyList<string> BackendIds { get; }

    public int IndexOf(string backendId) => _backends[backendId].Index;

    public void Release(string backendId) => _backends[backendId].Release();

    /// <summary>
    /// Gives this edge a lease longer than any run, as an edge's first heartbeat does: an edge never heard from has
    /// its count dropped after 15 s, which would zero the counts in the middle of a run. One report with nothing live,
    /// once: what is reserved and released around it is counted on top of it, in whatever order it arrives (a second
    /// report would have to name every reservation received since).
    /// </summary>
    public async Task TakeLeaseAsync()
    {
        if (!_leased)
        {
            var report = new EdgeReport(EdgeId, _instance, Sequence: 1, LeaseTime: TimeSpan.FromDays(1), Live: 0, Released: 0, Seen: [], HeartbeatInterval: TimeSpan.FromDays(1));
            await Task.WhenAll(_backends.Values.Select(b => b.Grain.Report(report).AsTask()));
            _leased = true;
        }
    }

    private sealed class Backend
    {
        private readonly Coalescer<long> _releases;
        private long _released;

        public Backend(int index, IBackendGrain grain, string edgeId, Guid instance)
        {
            Index = index;
            Grain = grain;
            _releases = new Coalescer<long>(sequences => grain.ReleaseNumbered(edgeId, instance, sequences).Forget(), ReleaseInterval, TimeProvider.System);
        }

        public int Index { get; }

        public IBackendGrain Grain { get; }

        public void Release() => _releases.Add(Interlocked.Increment(ref _released));
    }
}
