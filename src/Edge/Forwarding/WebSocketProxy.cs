using Microsoft.AspNetCore.Http.Features;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Forwards one WebSocket handshake to the backend the routing grain chose, with YARP, and carries the
/// tunnel once the client is upgraded; the close is reported one-way when the tunnel ends.
/// </summary>
internal sealed partial class WebSocketProxy(
    IHttpForwarder forwarder,
    BackendTransport transport,
    BackendTlsPolicies tls,
    EdgeConnections connections,
    TunnelCarrier carrier,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<WebSocketProxy> logger)
{
    /// <summary>The server's upgrade features, which a try replaces with the hand-off's; read before the first try.</summary>
    public static (IHttpUpgradeFeature? Upgrade, IHttpExtendedConnectFeature? Connect) ServerFeatures(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>(), context.Features.Get<IHttpExtendedConnectFeature>());

    /// <summary>Puts the server's upgrade features back, so another try starts clean.</summary>
    public static void Restore(HttpContext context, (IHttpUpgradeFeature? Upgrade, IHttpExtendedConnectFeature? Connect) features)
    {
        context.Features.Set(features.Upgrade);
        context.Features.Set(features.Connect);
    }

    /// <summary>
    /// Forwards the handshake to one backend and, once the client is upgraded, carries the tunnel.
    /// Returns the failure when the backend could not be used (no connection, no answer in time, or
    /// 5xx) and another try is allowed; a held-back 5xx has not reached the client.
    /// </summary>
    public async Task<ForwardFailure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable)
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
                ForwarderError.Request => new ForwardFailure(StatusCodes.Status502BadGateway, context.GetForwarderErrorFeature()?.Exception?.Message ?? "connection failed"),
                ForwarderError.RequestTimedOut => new ForwardFailure(StatusCodes.Status504GatewayTimeout, $"no answer within {settings.Edge.BackendResponseTimeout.TotalSeconds:0.###} s"),
                // A 5xx the backend itself answered; YARP's own errors (other than the two above) are not the backend's fault.
                ForwarderError.None when !handoff.TakenOver && context.Response.StatusCode >= StatusCodes.Status500InternalServerError && !context.RequestAborted.IsCancellationRequested
                    => new ForwardFailure(context.Response.StatusCode, $"answered the handshake with {context.Response.StatusCode}"),
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} could not be reached: {Reason}")]
        public static partial void BackendUnreachable(ILogger logger, string backend, string pool, string address, string reason);

        [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} answered a handshake with {Status}")]
        public static partial void BackendAnsweredError(ILogger logger, string backend, string pool, string address, int status);
    }
}
