using WsOrleans.Edge.Admission;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Responses;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Upgrade;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// The public listener's one handler. For each request: find the pool by path; check a WebSocket
/// handshake (a plain request is forwarded, or refused with 426 on a pool that takes WebSockets only);
/// admit it; ask the pool's routing grain for a backend (honouring the client's affinity cookie); and
/// forward it, trying another backend when the chosen one fails before anything reached the client.
/// </summary>
internal sealed partial class PoolProxy(
    PoolRouteTable routes,
    BackendRouter router,
    WebSocketProxy webSockets,
    HttpRequestProxy http,
    AffinityCookies affinity,
    AdmissionGate admission,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<PoolProxy> logger)
{
    // The pool tag of requests for a path no pool serves.
    private const string NoPool = "";

    public async Task HandleAsync(HttpContext context)
    {
        var handshake = HandshakeCheck.IsHandshake(context);
        var path = context.Request.Path.Value ?? "/";
        var pool = routes.Match(path);
        var answeredByBackend = false;
        try
        {
            if (pool is null)
            {
                Count(NoPool, handshake, HandshakeResults.ClientError);
                await EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, $"No pool serves the path {path}.");
            }
            else if ((handshake ? HandshakeCheck.Check(context) : pool.Http == PoolHttpMode.Refuse ? HandshakeCheck.NotWebSocket : null) is { } problem)
            {
                Count(pool.Name, handshake, HandshakeResults.ClientError);
                await EdgeResponses.WriteAsync(context, problem.StatusCode, problem.Message, problem.HeaderName, problem.HeaderValue);
            }
            else if (await admission.AdmitAsync(context, pool, handshake))
            {
                answeredByBackend = await ForwardAsync(context, pool, handshake);
            }
        }
        finally
        {
            // A plain request the edge answered itself; one a backend answered was counted with its backend.
            if (!handshake && !answeredByBackend)
            {
                metrics.HttpRequest(pool?.Name ?? NoPool, backend: string.Empty, context.Response.StatusCode);
            }
        }
    }

    /// <summary>Routes and forwards the request; true when a backend's answer (or tunnel) reached the client, false when the edge answered.</summary>
    private async Task<bool> ForwardAsync(HttpContext context, PoolRoute pool, bool handshake)
    {
        var ticket = affinity.Read(context, pool);
        List<string>? tried = null;
        ForwardFailure? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            var route = await router.RouteAsync(context, pool, tried, ticket?.Preferred);
            if (route is not { Outcome: RouteOutcome.Routed, BackendId: { } backendId, Address: { } address })
            {
                if (route is { } refused)
                {
                    await router.AnswerNoBackendAsync(context, pool, refused.Outcome, failure);
                }

                Count(pool.Name, handshake, failure is null ? HandshakeResults.Unavailable : HandshakeResults.BackendError);
                return false;
            }

            if (ticket is not null)
            {
                affinity.Chosen(context, ticket, backendId);
            }

            var retryable = attempt < settings.Edge.RouteAttempts;
            failure = handshake
                ? await webSockets.ForwardAsync(context, pool, backendId, address, route.Value.Reservation, retryable)
                : await http.ForwardAsync(context, pool, backendId, address, route.Value.Reservation, retryable);

            // A failure comes back only while another attempt is allowed (retryable above).
            if (failure is null || context.RequestAborted.IsCancellationRequested)
            {
                return failure is null;
            }

            // Nothing reached the client: start clean, and ask for a backend this request has not tried.
            Count(pool.Name, handshake, HandshakeResults.Retried);
            Log.Retrying(logger, pool.Name, backendId, failure.Reason, attempt + 1, settings.Edge.RouteAttempts);
            (tried ??= []).Add(backendId);
            context.Response.Clear();
        }
    }

    /// <summary>Counts a handshake's result; a plain request is counted by its status when it ends.</summary>
    private void Count(string pool, bool handshake, string result)
    {
        if (handshake)
        {
            metrics.Handshake(pool, result);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Forwarding.Retrying, Level = LogLevel.Information, Message = "Request to pool {Pool}: backend {Backend} failed ({Reason}); trying another, attempt {Attempt} of {Attempts}")]
        public static partial void Retrying(ILogger logger, string pool, string backend, string reason, int attempt, int attempts);
    }
}
