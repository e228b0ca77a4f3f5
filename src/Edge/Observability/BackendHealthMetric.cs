using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using WsOrleans.Backends;
using WsOrleans.Edge.Routing;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Observability;

/// <summary>
/// <c>wsorleans.backend.health</c>: each backend's health as a state set (1 for its current state,
/// 0 for the others), as the backend grains know it. A scrape answers with what the previous scrape
/// read and starts the next read in the background, so it never waits on the cluster, and an edge
/// nobody scrapes asks the grains nothing.
/// </summary>
internal sealed class BackendHealthMetric
{
    private static readonly BackendHealth[] States = Enum.GetValues<BackendHealth>();

    private readonly PoolRouteTable _routes;
    private readonly IGrainFactory _grains;
    private ImmutableArray<(string Pool, string Backend, BackendHealth Health)> _last = [];
    private int _reading;

    public BackendHealthMetric(IMeterFactory meters, PoolRouteTable routes, IGrainFactory grains)
    {
        _routes = routes;
        _grains = grains;
        meters.Create(EdgeMetrics.MeterName).CreateObservableGauge(
            "wsorleans.backend.health", Observe, "{state}", "Backend health from the cluster's probes and reports: 1 for the backend's current state");
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        if (Interlocked.Exchange(ref _reading, 1) == 0)
        {
            _ = ReadAsync();
        }

        foreach (var (pool, backend, health) in _last)
        {
            foreach (var state in States)
            {
                yield return new(state == health ? 1 : 0, new("pool", pool), new("backend", backend), new("state", state.ToString().ToLowerInvariant()));
            }
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            var pools = await Task.WhenAll(_routes.Routes.Select(r => _grains.GetGrain<IPoolGrain>(r.Name).GetStatus().AsTask()));
            _last = [.. pools.OfType<PoolStatus>().SelectMany(p => p.Backends.Select(b => (p.Settings.Name, b.Id, b.Health)))];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The cluster is between gateways: keep the last answer; the next scrape tries again.
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }
}
