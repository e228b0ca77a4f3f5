using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Responses;
using WsOrleans.Edge.Upgrade;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Forwards one WebSocket handshake to the backend the routing grain chose (<see cref="WebSocketUpgrade"/>) and
/// carries the tunnel once the client is upgraded. The connection counts against the backend from the route until
/// the tunnel ends, when the close is reported one-way; the backend's failures and recoveries are reported too.
/// </summary>
internal sealed partial class WebSocketProxy(
    WebSocketUpgrade upgrade,
    EdgeConnections connections,
    TunnelCarrier carrier,
    EdgeMetrics metrics,
    ILogger<WebSocketProxy> logger) : IBackendForwarder
{
    /// <summary>
    /// Forwards the handshake to one backend and, once the client is upgraded, carries the tunnel. Returns the failure
    /// when the backend could not be used (no connection, no answer in time, or a 5xx) and another try is allowed:
    /// then nothing has reached the client.
    /// </summary>
    public async Task<ForwardFailure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable)
    {
        var backend = connections.Open(pool.Name, backendId, reservation);
        var carriedOn = false;
        try
        {
            var outcome = await upgrade.ForwardAsync(context, pool, address, holdBack5xx: retryable);
            switch (outcome)
            {
                case UpgradeOutcome.Failed failed:
                    ForwardingLog.BackendUnreachable(logger, backendId, pool.Name, address, failed.Reason);
                    ReportFailure(backend, failed.Reason);
                    if (retryable)
                    {
                        return new ForwardFailure(failed.Status, failed.Reason);
                    }

                    await EdgeResponses.WriteAsync(context, failed.Status, $"The backend chosen for this handshake failed ({failed.Reason}).");
                    metrics.Handshake(pool.Name, HandshakeResults.Of(failed.Status, upgraded: false));
                    break;

                case UpgradeOutcome.HeldBack heldBack:
                    Log.BackendAnsweredError(logger, backendId, pool.Name, address, heldBack.Status);
                    ReportFailure(backend, $"answered the handshake with {heldBack.Status}");
                    return new ForwardFailure(heldBack.Status, $"answered the handshake with {heldBack.Status}");

                case UpgradeOutcome.Answered answered:
                    if (answered.Status is >= StatusCodes.Status500InternalServerError and not StatusCodes.Status499ClientClosedRequest)
                    {
                        Log.BackendAnsweredError(logger, backendId, pool.Name, address, answered.Status);
                        ReportFailure(backend, $"answered the handshake with {answered.Status}");
                    }

                    metrics.Handshake(pool.Name, HandshakeResults.Of(answered.Status, upgraded: false));
                    break;

                case UpgradeOutcome.Upgraded upgraded:
                    if (backend.TakeFailed())
                    {
                        backend.Grain.ReportSuccess(connections.EdgeId).Forget();
                    }

                    metrics.Handshake(pool.Name, HandshakeResults.Of(StatusCodes.Status101SwitchingProtocols, upgraded: true));
                    carriedOn = await carrier.CarryAsync(context, upgraded, backend, address);
                    break;
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

    private void ReportFailure(BackendConnections backend, string reason)
    {
        backend.Grain.ReportFailure(connections.EdgeId, reason).Forget();
        backend.MarkFailed();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Forwarding.BackendAnsweredError, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} answered a handshake with {Status}")]
        public static partial void BackendAnsweredError(ILogger logger, string backend, string pool, string address, int status);
    }
}
