using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;
using WsOrleans.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Forwards one plain HTTP request on a pool's path (SignalR's negotiate, Server-Sent Events and long
/// polling, Socket.IO's polling transport, the application's pages) to the backend the routing grain
/// chose, with YARP: every method, bodies streamed both ways, each chunk of a response passed on as
/// the backend flushes it. The request counts as one of the backend's live connections while it is in
/// flight, so least connections sees held streams and polls too.
/// </summary>
internal sealed partial class HttpRequestProxy(
    IHttpForwarder forwarder,
    BackendHttpClients clients,
    EdgeConnections connections,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<HttpRequestProxy> logger,
    ILoggerFactory loggers) : IBackendForwarder
{
    /// <summary>A request that lasts longer than this (a stream, a held poll) gets a line in the connection log.</summary>
    public static readonly TimeSpan LongRequest = TimeSpan.FromSeconds(1);

    private readonly ILogger _connectionLog = loggers.CreateLogger(TunnelRegistry.ConnectionLogCategory);

    // Backends speak HTTP/1.1 (the address is a ws:// one) whatever the client spoke to the edge.
    private readonly ForwarderRequestConfig _config = new()
    {
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = settings.Edge.HttpActivityTimeout,
    };

    /// <summary>
    /// Forwards the request to one backend. Returns the failure when the backend could not be connected
    /// to and another try is allowed: then nothing was sent and nothing reached the client.
    /// </summary>
    public async Task<ForwardFailure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable)
    {
        var backend = connections.Open(pool.Name, backendId, reservation);
        metrics.HttpStarted(pool.Name, backendId);
        var started = Stopwatch.GetTimestamp();
        var failure = default(ForwardFailure);
        try
        {
            // A request that asks to upgrade to another protocol is forwarded as a plain request: the edge upgrades WebSockets only.
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
            {
                context.Features.Set<IHttpUpgradeFeature>(null);
            }

            var error = await forwarder.SendAsync(context, BackendAddress.Of(address).HttpPrefix, clients.For(pool), _config, ForwardedHeadersTransformer.Instance);
            if (error != ForwarderError.None && !context.RequestAborted.IsCancellationRequested && CouldNotConnect(context.GetForwarderErrorFeature()?.Exception) is { } reason)
            {
                ForwardingLog.BackendUnreachable(logger, backendId, pool.Name, address, reason);
                backend.Grain.ReportFailure(connections.EdgeId, reason).Forget();
                backend.MarkFailed();

                // Retried, or answered by the edge itself (YARP's 502): either way not this backend's answer.
                failure = new ForwardFailure(StatusCodes.Status502BadGateway, reason);
                if (retryable)
                {
                    return failure;
                }

                metrics.HttpRequest(pool.Name, backend: string.Empty, context.Response.StatusCode);
            }
            else if (error == ForwarderError.None && backend.TakeFailed())
            {
                backend.Grain.ReportSuccess(connections.EdgeId).Forget();
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= LongRequest)
            {
                Log.LongRequest(
                    _connectionLog, context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/", RequestKeyReader.ClientAddress(context),
                    pool.Name, backendId, context.Response.StatusCode, (long)elapsed.TotalMilliseconds, error == ForwarderError.None ? "completed" : error.ToString());
            }

            return null;
        }
        finally
        {
            metrics.HttpEnded(pool.Name, backendId);
            if (failure is null)
            {
                metrics.HttpRequest(pool.Name, backendId, context.Response.StatusCode);
            }

            connections.Close(backend);
        }
    }

    /// <summary>
    /// Why no connection to the backend could be made (refused, unreachable, a connect that timed out, a
    /// name that does not resolve, a failed or hung TLS handshake), or null when the failure came later:
    /// only then is it certain that the backend saw nothing of the request.
    /// </summary>
    private static string? CouldNotConnect(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // The client's ConnectTimeout (TCP and TLS together) ran out: nothing was sent.
            if (e is OperationCanceledException { InnerException: TimeoutException timeout })
            {
                return timeout.Message;
            }

            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } failed)
            {
                // "The SSL connection could not be established, see inner exception": the inner one says why.
                return failed.InnerException is { } inner && failed.Message.Contains("inner exception", StringComparison.Ordinal) ? inner.Message : failed.Message;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Forwarding.LongRequest, Level = LogLevel.Information, EventName = "LongRequest",
            Message = "HTTP {RequestId} {Method} {Path} from {ClientAddress} to pool {Pool} backend {Backend} ended with {Status} after {DurationMs} ms ({Outcome})")]
        public static partial void LongRequest(
            ILogger logger, string requestId, string method, string path, string? clientAddress, string pool, string backend, int status, long durationMs, string outcome);
    }
}
