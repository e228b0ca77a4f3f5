using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
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

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        List<string>? tried = null;
        Failure? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            var route = await RouteAsync(context, pool, tried);
            if (route is null)
            {
                metrics.Handshake(pool.Name, HandshakeResults.Unavailable);
                return;
            }

            if (route.Value is not { Outcome: RouteOutcome.Routed, BackendId: { } backendId, Address: { } address })
            {
                await AnswerNoBackendAsync(context, pool, route.Value.Outcome, failure);
                return;
            }

            failure = await ForwardAsync(context, pool, backendId, address, route.Value.Reservation, retryable: attempt < settings.Edge.RouteAttempts);
            // A failure comes back only while another attempt is allowed (retryable above).
            if (failure is null || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            // Nothing reached the client: start clean, and ask for a backend this handshake has not tried.
            metrics.Handshake(pool.Name, HandshakeResults.Retried);
            Log.Retrying(logger, pool.Name, backendId, failure.Reason, attempt + 1, settings.Edge.RouteAttempts);
            (tried ??= []).Add(backendId);
            context.Response.Clear();
            context.Features.Set(upgrade);
            context.Features.Set(connect);
        }
    }

    /// <summary>
    /// Forwards the handshake to one backend and, once the client is upgraded, carries the tunnel.
    /// Returns the failure when the backend could not be used (no connection, no answer in time, or
    /// 5xx) and was reported to the cluster; a held-back 5xx has not reached the client.
    /// </summary>
    private async Task<Failure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable)
    {
        var backend = connections.Open(pool.Name, backendId, reservation);
        var carriedOn = false;
        try
        {
            var handoff = new TunnelHandoff(address.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? tls.For(pool.Name, pool.BackendTls, new Uri(address).IdnHost) : null);
            var attempt = new HandshakeAttempt(retryable);
            context.Features.Set(handoff);
            context.Features.Set(attempt);
            HandoffUpgradeFeatures.Install(context, handoff);

            var error = await forwarder.SendAsync(context, transport.DestinationPrefix(address), transport.Invoker, transport.RequestConfig, ForwardedHeadersTransformer.Instance);
            var failure = error switch
            {
                ForwarderError.Request => new Failure(StatusCodes.Status502BadGateway, context.GetForwarderErrorFeature()?.Exception?.Message ?? "connection failed"),
                ForwarderError.RequestTimedOut => new Failure(StatusCodes.Status504GatewayTimeout, $"no answer within {settings.Edge.BackendResponseTimeout.TotalSeconds:0.###} s"),
                // A 5xx the backend itself answered; YARP's own errors (other than the two above) are not the backend's fault.
                ForwarderError.None when !handoff.TakenOver && context.Response.StatusCode >= StatusCodes.Status500InternalServerError && !context.RequestAborted.IsCancellationRequested
                    => new Failure(context.Response.StatusCode, $"answered the handshake with {context.Response.StatusCode}"),
                _ => null,
            };

            if (failure is not null)
            {
                if (error == ForwarderError.None)
                {
                    Log.BackendAnsweredError(logger, backendId, pool.Name, address, failure.StatusCode);
                }
                else
                {
                    Log.BackendUnreachable(logger, backendId, pool.Name, address, failure.Reason);
                }

                backend.Grain.ReportFailure(connections.EdgeId, failure.Reason).Forget();
                backend.MarkFailed();
            }
            else if (handoff.TakenOver && backend.TakeFailed())
            {
                backend.Grain.ReportSuccess(connections.EdgeId).Forget();
            }

            if (failure is not null && retryable)
            {
                return failure;
            }

            metrics.Handshake(pool.Name, HandshakeResults.Of(context.Response.StatusCode, upgraded: handoff.TakenOver));
            if (handoff.TakenOver)
            {
                carriedOn = await carrier.CarryAsync(context, handoff, backend, address);
            }

            return null;
        }
        finally
        {
            if (!carriedOn)
            {
                connections.Close(backend);
            }
        }
    }

    /// <summary>
    /// The routing grain has no backend. On a first try that is a 503; after failed tries it is the
    /// last failure's status (502, 504 or the backend's 5xx), since a backend was chosen and failed.
    /// </summary>
    private async Task AnswerNoBackendAsync(HttpContext context, PoolRoute pool, RouteOutcome outcome, Failure? failure)
    {
        if (failure is null)
        {
            metrics.Handshake(pool.Name, HandshakeResults.Unavailable);
            await RefuseAsync(context, pool, outcome);
            return;
        }

        metrics.Handshake(pool.Name, HandshakeResults.BackendError);
        Log.NoOtherBackend(logger, pool.Name, Describe(outcome));
        await EdgeResponses.WriteAsync(context, failure.StatusCode, $"The backend chosen for this connection failed ({failure.Reason}) and no other backend of pool '{pool.Name}' can take it: {Describe(outcome)}.");
    }

    /// <summary>
    /// Asks the pool's routing grain for a backend not in <paramref name="tried"/>. Answers 503 itself
    /// and returns null when the cluster does not answer; a refusal is returned for the caller to answer.
    /// </summary>
    private async Task<RouteResult?> RouteAsync(HttpContext context, PoolRoute pool, List<string>? tried)
    {
        var request = new RouteRequest(connections.EdgeId, RequestKeyReader.Read(context, pool.Key), tried?.ToArray());
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

        return route;
    }

    private void ReleaseLateReservation(Task<RouteResult> call, object? pool)
    {
        if (call.Result is { Outcome: RouteOutcome.Routed, BackendId: { } backendId })
        {
            connections.Close(connections.Open((string)pool!, backendId, call.Result.Reservation));
        }
    }

    private Task RefuseAsync(HttpContext context, PoolRoute pool, RouteOutcome outcome)
    {
        if (outcome == RouteOutcome.AllUnhealthy)
        {
            Log.AllUnhealthy(logger, pool.Name);
        }

        return RefuseAsync(context, pool, Describe(outcome));
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

    /// <summary>Why a backend could not be used, and the status the client gets if no other one can.</summary>
    private sealed record class Failure(int StatusCode, string Reason);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No backend for a handshake to pool {Pool}: {Reason}")]
        public static partial void NoBackend(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Routing a handshake to pool {Pool} failed")]
        public static partial void RouteFailed(ILogger logger, string pool, Exception exception);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} could not be reached: {Reason}")]
        public static partial void BackendUnreachable(ILogger logger, string backend, string pool, string address, string reason);

        [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} answered a handshake with {Status}")]
        public static partial void BackendAnsweredError(ILogger logger, string backend, string pool, string address, int status);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Handshake to pool {Pool}: backend {Backend} failed ({Reason}); trying another, attempt {Attempt} of {Attempts}")]
        public static partial void Retrying(ILogger logger, string pool, string backend, string reason, int attempt, int attempts);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "No other backend for a failed handshake to pool {Pool}: {Reason}")]
        public static partial void NoOtherBackend(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Every backend of pool {Pool} is unhealthy: handshakes get 503")]
        public static partial void AllUnhealthy(ILogger logger, string pool);
    }
}
