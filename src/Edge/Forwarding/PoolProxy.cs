using WsOrleans.Edge.Admission;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Responses;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Upgrade;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// The public listener's one handler. For each request: find the pool by path; check a WebSocket
/// handshake (a plain request is forwarded, or refused with 426 on a pool that takes WebSockets only);
/// admit it; then route and forward it (<see cref="ForwardAttempts"/>).
/// </summary>
internal sealed class PoolProxy(
    PoolRouteTable routes,
    ForwardAttempts attempts,
    WebSocketProxy webSockets,
    HttpRequestProxy http,
    AdmissionGate admission,
    EdgeMetrics metrics)
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
                attempts.Count(NoPool, handshake, HandshakeResults.ClientError);
                await EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound, $"No pool serves the path {path}.");
            }
            else if ((handshake ? HandshakeCheck.Check(context) : pool.Http == PoolHttpMode.Refuse ? HandshakeCheck.NotWebSocket : null) is { } problem)
            {
                attempts.Count(pool.Name, handshake, HandshakeResults.ClientError);
                await EdgeResponses.WriteAsync(context, problem.StatusCode, problem.Message, problem.HeaderName, problem.HeaderValue);
            }
            else if (await admission.AdmitAsync(context, pool, handshake))
            {
                answeredByBackend = await attempts.RunAsync(context, pool, handshake, handshake ? webSockets : http);
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
}
