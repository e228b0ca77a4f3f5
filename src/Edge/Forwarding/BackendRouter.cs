using System.Collections.Concurrent;
using System.Diagnostics;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Responses;
using WsOrleans.Edge.Routing;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Routes a handshake: by this edge itself (<see cref="LocalPoolRouters"/>, the default), or by asking the pool's
/// router on the edge's silo (one awaited grain call, which also reserves the connection); and answers the client when
/// there is no backend: 503 with <c>Retry-After</c> and a line that says why. When
/// the cluster does not answer in time, the edge routes from its last view of the pool instead
/// (<see cref="DegradedRouting"/>), and keeps doing so, without waiting on the cluster, until it answers again.
/// </summary>
internal sealed partial class BackendRouter(
    RouteTableRefresher refresher,
    DegradedRouting degraded,
    LocalPoolRouters localRouters,
    IGrainFactory grains,
    EdgeConnections connections,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<BackendRouter> logger)
{
    private readonly ConcurrentDictionary<string, IPoolRouterGrain> _routers = new(StringComparer.Ordinal);

    /// <summary>
    /// Asks for a backend not in <paramref name="tried"/>, <paramref name="preferred"/> when it can take the
    /// request. Answers 503 itself and returns null when the cluster does not answer; a refusal is returned
    /// for the caller to answer.
    /// </summary>
    public async Task<RouteResult?> RouteAsync(HttpContext context, PoolRoute pool, List<string>? tried, string? preferred)
    {
        var key = RequestKeyReader.Read(context, pool.Key);
        if (degraded.IsDegraded(pool.Name) && degraded.Route(pool, key, tried, preferred, "the cluster did not answer") is { } local)
        {
            metrics.RoutedDegraded(pool.Name);
            return local;
        }

        var request = new RouteRequest(connections.EdgeId, key, tried?.ToArray(), preferred, pool.Version);
        var call = settings.Edge.RouteLocally
            ? localRouters.RouteAsync(pool.Name, request).AsTask()
            : _routers.GetOrAdd(pool.Name, static (name, grains) => grains.GetGrain<IPoolRouterGrain>(name), grains).Route(request).AsTask();
        RouteResult route;
        var started = Stopwatch.GetTimestamp();
        try
        {
            route = await call.WaitAsync(settings.Edge.RouteTimeout, context.RequestAborted);
            metrics.Routed(pool.Name, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Timed out, or the client left: a reservation the call still makes must not be counted forever.
            _ = call.ContinueWith(ForgoLateReservation, pool.Name, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return null;
            }

            return await RouteAloneOrRefuseAsync(context, pool, key, tried, preferred, e is TimeoutException ? $"the cluster did not answer within {settings.Edge.RouteTimeout.TotalSeconds:0.###} s" : "the cluster is unavailable");
        }
        catch (Exception e)
        {
            Log.RouteFailed(logger, pool.Name, e);
            return await RouteAloneOrRefuseAsync(context, pool, key, tried, preferred, $"the cluster is unavailable ({e.GetType().Name})");
        }

        if (pool.Key?.Kind is RequestKeyKind.Header or RequestKeyKind.Query or RequestKeyKind.Cookie && route.BackendId is { } backendId)
        {
            degraded.Remember(pool, key, backendId);
        }

        if (route.PoolVersion > pool.Version)
        {
            refresher.RequestRefresh();
        }

        return route;
    }

    /// <summary>
    /// The routing grain has no backend. On a first try that is a 503; after failed tries it is the last
    /// failure's status (502, 504 or the backend's 5xx), since a backend was chosen and failed.
    /// </summary>
    public Task AnswerNoBackendAsync(HttpContext context, PoolRoute pool, RouteOutcome outcome, ForwardFailure? failure)
    {
        if (failure is null)
        {
            if (outcome == RouteOutcome.AllUnhealthy)
            {
                Log.AllUnhealthy(logger, pool.Name);
            }

            return RefuseAsync(context, pool, Describe(outcome));
        }

        Log.NoOtherBackend(logger, pool.Name, Describe(outcome));
        return EdgeResponses.WriteAsync(context, failure.StatusCode, $"The backend chosen for this request failed ({failure.Reason}) and no other backend of pool '{pool.Name}' can take it: {Describe(outcome)}.");
    }

    /// <summary>The cluster did not answer: routes from the edge's last view of the pool, or refuses when the pool says so (or there is no view).</summary>
    private async Task<RouteResult?> RouteAloneOrRefuseAsync(HttpContext context, PoolRoute pool, string? key, List<string>? tried, string? preferred, string reason)
    {
        if (degraded.Route(pool, key, tried, preferred, reason) is { } local)
        {
            metrics.RoutedDegraded(pool.Name);
            return local;
        }

        await RefuseAsync(context, pool, reason);
        return null;
    }

    private void ForgoLateReservation(Task<RouteResult> call, object? pool)
    {
        if (call.Result is { Outcome: RouteOutcome.Routed, BackendId: { } backendId, Reservation: { } reservation })
        {
            connections.Forgo((string)pool!, backendId, reservation);
        }
    }

    private Task RefuseAsync(HttpContext context, PoolRoute pool, string reason)
    {
        Log.NoBackend(logger, pool.Name, reason);
        return EdgeResponses.ServiceUnavailableAsync(context, $"No backend of pool '{pool.Name}' can take this request: {reason}.", settings.Edge.RetryAfter);
    }

    private static string Describe(RouteOutcome outcome) => outcome switch
    {
        RouteOutcome.UnknownPool => "the pool is not known to the cluster",
        RouteOutcome.NoBackends => "the pool has no backends",
        RouteOutcome.AllUnhealthy => "every backend is unhealthy",
        RouteOutcome.AllUnavailable => "every backend is draining",
        RouteOutcome.AllFull => "every backend is at its connection limit",
        _ => outcome.ToString(),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Forwarding.NoBackend, Level = LogLevel.Warning, Message = "No backend for a request to pool {Pool}: {Reason}")]
        public static partial void NoBackend(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = EventIds.Forwarding.RouteFailed, Level = LogLevel.Warning, Message = "Routing a request to pool {Pool} failed")]
        public static partial void RouteFailed(ILogger logger, string pool, Exception exception);

        [LoggerMessage(EventId = EventIds.Forwarding.NoOtherBackend, Level = LogLevel.Warning, Message = "No other backend for a failed request to pool {Pool}: {Reason}")]
        public static partial void NoOtherBackend(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = EventIds.Forwarding.AllUnhealthy, Level = LogLevel.Error, Message = "Every backend of pool {Pool} is unhealthy: requests get 503")]
        public static partial void AllUnhealthy(ILogger logger, string pool);
    }
}
