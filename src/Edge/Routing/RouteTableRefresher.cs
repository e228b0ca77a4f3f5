using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Routing;

/// <summary>
/// Keeps <see cref="PoolRouteTable"/> in step with the cluster: loads it before the edge accepts
/// clients, re-reads it every <see cref="EdgeSettings.RouteRefreshInterval"/>, and at once when a
/// routing grain answers with a newer pool version than the table holds. With the routes it reads each
/// pool's view (members, health, counts), which <see cref="DegradedRouting"/> routes from when the
/// cluster does not answer; a view read means the cluster answers again.
/// </summary>
internal sealed partial class RouteTableRefresher(
    PoolRouteTable table,
    DegradedRouting degraded,
    IGrainFactory grains,
    WsOrleansSettings settings,
    ILogger<RouteTableRefresher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        Log.Loaded(logger, table.Routes.Count, string.Join(", ", table.Routes.Select(r => $"{r.Name} on {r.Path}")));
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Asks for a refresh as soon as possible; cheap to call from the hot path.</summary>
    public void RequestRefresh()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller asked at the same moment; one refresh serves both.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(settings.Edge.RouteRefreshInterval, stoppingToken);
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Keep serving the last known routes; the cluster may be between gateways.
                Log.RefreshFailed(logger, e.Message);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // A silo that is cut off but not yet declared dead holds calls until Orleans' response timeout: wait no longer than a route does.
        var routes = await grains.GetGrain<IPoolRegistryGrain>(0).GetRoutes().AsTask().WaitAsync(settings.Edge.RouteTimeout, cancellationToken);
        if (routes.IsEmpty && table.Routes.Count > 0)
        {
            // Pools are never deleted: an empty answer means the registry lost its memory state with a
            // silo. Keep serving what we know until a seeding process republishes the routes.
            Log.RegistryEmpty(logger, table.Routes.Count);
            return;
        }

        table.Replace(routes);
        await ReadViewsAsync(routes, cancellationToken);
    }

    private async Task ReadViewsAsync(IEnumerable<PoolRoute> routes, CancellationToken cancellationToken)
    {
        var edges = grains.GetGrain<WsOrleans.Edges.IEdgeRegistryGrain>(0).GetEdges().AsTask();
        var views = await Task.WhenAll(routes.Select(r => grains.GetGrain<IPoolGrain>(r.Name).GetStatus().AsTask())).WaitAsync(settings.Edge.RouteTimeout, cancellationToken);
        var liveEdges = Math.Max(1, (await edges.WaitAsync(settings.Edge.RouteTimeout, cancellationToken)).Length);
        foreach (var view in views.OfType<PoolStatus>())
        {
            degraded.Keep(view, liveEdges);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Routing.RoutesLoaded, Level = LogLevel.Information, Message = "Serving {Count} pools: {Pools}")]
        public static partial void Loaded(ILogger logger, int count, string pools);

        [LoggerMessage(EventId = EventIds.Routing.RoutesRefreshFailed, Level = LogLevel.Warning, Message = "Could not refresh pool routes from the cluster, keeping the last ones: {Reason}")]
        public static partial void RefreshFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = EventIds.Routing.RegistryEmpty, Level = LogLevel.Warning, Message = "The cluster lists no pools; keeping the {Count} this edge knows until they are republished")]
        public static partial void RegistryEmpty(ILogger logger, int count);
    }
}
