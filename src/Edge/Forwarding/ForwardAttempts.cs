using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.Observability;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Routes an admitted request and forwards it, up to <c>Edge:RouteAttempts</c> times: a backend that failed before
/// anything reached the client is left out of the next routing call. Honours and renews the affinity cookie.
/// </summary>
internal sealed partial class ForwardAttempts(
    BackendRouter router,
    AffinityCookies affinity,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<ForwardAttempts> logger)
{
    /// <summary>True when a backend's answer (or tunnel) reached the client, false when the edge answered.</summary>
    public async Task<bool> RunAsync(HttpContext context, PoolRoute pool, bool handshake, IBackendForwarder forwarder)
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
            failure = await forwarder.ForwardAsync(context, pool, backendId, address, route.Value.Reservation, retryable);

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
    public void Count(string pool, bool handshake, string result)
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
