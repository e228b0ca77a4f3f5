using System.Diagnostics;
using WsOrleans.Edge.Admission;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// The upgrade path. For each request on the public listener: find the pool by path, check the
/// handshake, ask the pool's routing grain for a backend (one awaited grain call, which also
/// reserves the connection), forward the handshake with YARP, carry the tunnel's bytes once the
/// client is upgraded, and report the close one-way when the tunnel ends.
/// </summary>
internal sealed partial class WebSocketProxy(
    PoolRouteTable routes,
    RouteTableRefresher refresher,
    IGrainFactory grains,
    IHttpForwarder forwarder,
    BackendTransport transport,
    BackendTlsPolicies tls,
    EdgeConnections connections,
    TunnelCarrier carrier,
    AdmissionGate admission,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<WebSocketProxy> logger)
{
    // The pool tag of handshakes for a path no pool serves.
    private const string NoPool = "";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IPoolGrain> _pools = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (routes.Match(path) is not { } pool)
        {
            metrics.Handshake(NoPool, HandshakeResults.ClientError);
            await EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, $"No pool serves the path {path}.");
            return;
        }

        if (HandshakeCheck.Check(context) is { } problem)
        {
            metrics.Handshake(pool.Name, HandshakeResults.ClientError);
            await EdgeResponses.WriteAsync(context, problem.StatusCode, problem.Message, problem.HeaderName, problem.HeaderValue);
            return;
        }

        if (!await admission.AdmitAsync(context, pool))
        {
            return;
        }

        var route = await RouteAsync(context, pool);
        if (route is not { Outcome: RouteOutcome.Routed, BackendId: { } backendId, Address: { } address })
        {
            metrics.Handshake(pool.Name, HandshakeResults.Unavailable);
            return;
        }

        var backend = connections.Open(pool.Name, backendId);
        var carriedOn = false;
        try
        {
            var handoff = new TunnelHandoff(address.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? tls.For(pool.Name, pool.BackendTls, new Uri(address).IdnHost) : null);
            context.Features.Set(handoff);
            HandoffUpgradeFeatures.Install(context, handoff);

            var error = await forwarder.SendAsync(context, transport.DestinationPrefix(address), transport.Invoker, transport.RequestConfig, ForwardedHeadersTransformer.Instance);
            if (error is ForwarderError.Request or ForwarderError.RequestTimedOut)
            {
                Log.BackendUnreachable(logger, backendId, pool.Name, address, context.GetForwarderErrorFeature()?.Exception?.Message ?? error.ToString());
            }

            metrics.Handshake(pool.Name, HandshakeResults.Of(context.Response.StatusCode, upgraded: handoff.TakenOver));
            if (handoff.TakenOver)
            {
                carriedOn = await carrier.CarryAsync(context, handoff, backend, address);
            }
        }
        finally
        {
            if (!carriedOn)
            {
                connections.Close(backend);
            }
        }
    }

    /// <summary>Asks the pool's routing grain for a backend; answers 503 itself when there is none.</summary>
    private async Task<RouteResult?> RouteAsync(HttpContext context, PoolRoute pool)
    {
        var request = new RouteRequest(connections.EdgeId, RequestKeyReader.Read(context, pool.Key));
        var call = _pools.GetOrAdd(pool.Name, static (name, grains) => grains.GetGrain<IPoolGrain>(name), grains).Route(request).AsTask();
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
            _ = call.ContinueWith(ReleaseLateReservation, pool.Name, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await RefuseAsync(context, pool, e is TimeoutException ? $"the cluster did not answer within {settings.Edge.RouteTimeout.TotalSeconds:0.###} s" : "the cluster is unavailable");
            }

            return null;
        }
        catch (Exception e)
        {
            Log.RouteFailed(logger, pool.Name, e);
            await RefuseAsync(context, pool, "the cluster is unavailable");
            return null;
        }

        if (route.PoolVersion > pool.Version)
        {
            refresher.RequestRefresh();
        }

        if (route.Outcome != RouteOutcome.Routed)
        {
            await RefuseAsync(context, pool, Describe(route.Outcome));
        }

        return route;
    }

    private void ReleaseLateReservation(Task<RouteResult> call, object? pool)
    {
        if (call.Result is { Outcome: RouteOutcome.Routed, BackendId: { } backendId })
        {
            connections.Close(connections.Open((string)pool!, backendId));
        }
    }

    private Task RefuseAsync(HttpContext context, PoolRoute pool, string reason)
    {
        Log.NoBackend(logger, pool.Name, reason);
        return EdgeResponses.ServiceUnavailableAsync(context, $"No backend of pool '{pool.Name}' can take this connection: {reason}.", settings.Edge.RetryAfter);
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
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No backend for a handshake to pool {Pool}: {Reason}")]
        public static partial void NoBackend(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Routing a handshake to pool {Pool} failed")]
        public static partial void RouteFailed(ILogger logger, string pool, Exception exception);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} could not be reached: {Reason}")]
        public static partial void BackendUnreachable(ILogger logger, string backend, string pool, string address, string reason);
    }
}
