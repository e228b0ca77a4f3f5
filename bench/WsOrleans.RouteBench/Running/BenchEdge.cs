using System.Collections.Frozen;
using WsOrleans.Backends;
using WsOrleans.Edge.Connections;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// One of the benchmark's edges: counts the connections its callers hold with an edge's own accounting
/// (<see cref="EdgeConnections"/>: the reservations received, releases numbered and sent together when they come fast)
/// and reports them to the backend grains every second, as an edge's heartbeat does every few, so the backend grains
/// drop what a report covers instead of keeping every reservation and release of the whole benchmark. Its lease is
/// longer than any run. Also gives each backend a small index for per-backend tallies.
/// </summary>
internal sealed class BenchEdge : IDisposable
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeaseTime = TimeSpan.FromDays(1);

    private readonly string _pool;
    private readonly IGrainFactory _grains;
    private readonly EdgeConnections _connections;
    private readonly FrozenDictionary<string, int> _indexes;
    private readonly CancellationTokenSource _stop = new();
    private long _sequence;
    private Task? _reporting;

    public BenchEdge(IGrainFactory grains, string pool, IReadOnlyList<string> backendIds, string edgeId)
    {
        _grains = grains;
        _pool = pool;
        BackendIds = backendIds;
        _indexes = backendIds.Select((id, index) => KeyValuePair.Create(id, index)).ToFrozenDictionary(StringComparer.Ordinal);
        _connections = new EdgeConnections(grains, new WsOrleansSettings { Edge = new EdgeSettings { Id = edgeId } }, TimeProvider.System);
    }

    public string EdgeId => _connections.EdgeId;

    public IReadOnlyList<string> BackendIds { get; }

    public int IndexOf(string backendId) => _indexes[backendId];

    /// <summary>Counts a connection routed to <paramref name="backendId"/> with its <paramref name="reservation"/>.</summary>
    public BackendConnections Open(string backendId, ReservationMark? reservation) => _connections.Open(_pool, backendId, reservation);

    /// <summary>The connection ended: counted down here, its release sent to the backend grain.</summary>
    public void Close(BackendConnections backend) => _connections.Close(backend);

    /// <summary>
    /// Gives this edge its lease at every backend grain, as an edge's first heartbeat does (an edge never heard from has
    /// its count dropped after 15 s, which would zero the counts in the middle of a run), then reports every second.
    /// </summary>
    public async Task TakeLeaseAsync()
    {
        if (_reporting is null)
        {
            var report = new EdgeReport(EdgeId, _connections.Instance, Interlocked.Increment(ref _sequence), LeaseTime, Live: 0, Released: 0, Seen: [], ReportInterval);
            await Task.WhenAll(BackendIds.Select(id => _grains.GetGrain<IBackendGrain>(BackendKey.Format(_pool, id)).Report(report).AsTask()));
            _reporting = ReportEverySecondAsync(_stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task ReportEverySecondAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var sequence = Interlocked.Increment(ref _sequence);
                foreach (var backend in _connections.Backends)
                {
                    var (live, released, seen) = backend.Snapshot();
                    backend.Grain.Report(new EdgeReport(EdgeId, _connections.Instance, sequence, LeaseTime, live, released, seen, ReportInterval)).Forget();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
