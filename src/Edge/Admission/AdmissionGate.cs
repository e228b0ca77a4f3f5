using System.Globalization;
using Microsoft.Net.Http.Headers;
using WsOrleans.Admission;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Responses;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Admission;

/// <summary>
/// Admits a well-formed handshake to its pool, or answers it: 403 for an <c>Origin</c> the pool does not
/// allow, 429 with <c>Retry-After</c> for a client address over the pool's handshake rate (on this edge) or
/// connection cap (across all edges). Looks only at what the pool configures; an open pool costs nothing.
/// </summary>
internal sealed partial class AdmissionGate(
    IGrainFactory grains,
    EdgeConnections connections,
    HandshakeRateLimiter rates,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILogger<AdmissionGate> logger)
{
    /// <summary>
    /// True when the request may go on; otherwise the answer has been written. A connection counted against
    /// its address's cap is released when the request ends, unless a tunnel takes it over (<see cref="AdmissionLease.TakeOver"/>).
    /// The origin and the cap apply to every request (an HTTP request in flight is a connection); handshakes and
    /// plain requests have rates of their own, since a long-polling client makes a request per message.
    /// </summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context, PoolRoute pool, bool handshake)
    {
        if (pool.Admission is not { IsOpen: false } admission)
        {
            return true;
        }

        if (!admission.AllowedOrigins.IsDefaultOrEmpty && context.Request.Headers.Origin is { Count: > 0 } origin && !IsAllowed(admission, origin.ToString()))
        {
            Log.OriginRefused(logger, pool.Name, origin.ToString(), ClientOf(context));
            return await RefuseAsync(context, pool, handshake, StatusCodes.Status403Forbidden, $"The origin {origin} may not use this path.");
        }

        var address = ClientOf(context);
        var rate = handshake ? admission.HandshakesPerSecond : admission.RequestsPerSecond;
        if (rate > 0 && !rates.TryAcquire(pool.Name, address, admission, handshake, out var wait))
        {
            Log.RateLimited(logger, pool.Name, address);
            return await RefuseAsync(context, pool, handshake, StatusCodes.Status429TooManyRequests, $"Too many {(handshake ? "handshakes" : "requests")} from {address}: at most {rate.ToString(CultureInfo.InvariantCulture)} per second.", wait);
        }

        if (admission.MaxConnectionsPerAddress > 0)
        {
            return await AcquireAsync(context, pool, handshake, admission, address);
        }

        return true;
    }

    private async ValueTask<bool> AcquireAsync(HttpContext context, PoolRoute pool, bool handshake, AdmissionSettings admission, string address)
    {
        var grain = grains.GetGrain<IClientAddressGrain>(ClientAddressKey.Format(pool.Name, address));
        var call = grain.Acquire(connections.EdgeId, admission.MaxConnectionsPerAddress).AsTask();
        bool acquired;
        try
        {
            acquired = await call.WaitAsync(settings.Edge.RouteTimeout, context.RequestAborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // A count the call still makes must not hold the address's slot forever.
            _ = call.ContinueWith(t => { if (t.Result) { grain.Release(connections.EdgeId).Forget(); } }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return !context.RequestAborted.IsCancellationRequested
                && await RefuseUnavailableAsync(context, pool, handshake, $"the cluster did not answer within {settings.Edge.RouteTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e)
        {
            Log.CountFailed(logger, pool.Name, e);
            return await RefuseUnavailableAsync(context, pool, handshake, "the cluster is unavailable");
        }

        if (!acquired)
        {
            Log.AddressFull(logger, pool.Name, address, admission.MaxConnectionsPerAddress);
            return await RefuseAsync(context, pool, handshake, StatusCodes.Status429TooManyRequests, $"{address} already holds {admission.MaxConnectionsPerAddress} connections to this pool, the most it may.", settings.Edge.RetryAfter);
        }

        var lease = new AdmissionLease(grain, connections.EdgeId);
        context.Features.Set(lease);
        context.Response.RegisterForDispose(lease);
        return true;
    }

    private static bool IsAllowed(AdmissionSettings admission, string origin) =>
        OriginRules.Normalize(origin) is { } normalized && admission.AllowedOrigins.Contains(normalized, StringComparer.Ordinal);

    private static string ClientOf(HttpContext context) => RequestKeyReader.ClientAddress(context) ?? "unknown";

    private async ValueTask<bool> RefuseAsync(HttpContext context, PoolRoute pool, bool handshake, int status, string message, TimeSpan? retryAfter = null)
    {
        if (handshake)
        {
            metrics.Handshake(pool.Name, HandshakeResults.Refused);
        }

        var seconds = retryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
        await EdgeResponses.WriteAsync(context, status, message, seconds is null ? null : HeaderNames.RetryAfter, seconds);
        return false;
    }

    private async ValueTask<bool> RefuseUnavailableAsync(HttpContext context, PoolRoute pool, bool handshake, string reason)
    {
        if (handshake)
        {
            metrics.Handshake(pool.Name, HandshakeResults.Unavailable);
        }

        await EdgeResponses.ServiceUnavailableAsync(context, $"Pool '{pool.Name}' cannot count this client's connections: {reason}.", settings.Edge.RetryAfter);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Admission.OriginRefused, Level = LogLevel.Information, Message = "Refused a request to pool {Pool} from origin {Origin} (client {Client}): not an allowed origin")]
        public static partial void OriginRefused(ILogger logger, string pool, string origin, string client);

        [LoggerMessage(EventId = EventIds.Admission.RateLimited, Level = LogLevel.Debug, Message = "Refused a request to pool {Pool} from {Client}: over its rate")]
        public static partial void RateLimited(ILogger logger, string pool, string client);

        [LoggerMessage(EventId = EventIds.Admission.AddressFull, Level = LogLevel.Information, Message = "Refused a request to pool {Pool} from {Client}: it holds {Max} connections already")]
        public static partial void AddressFull(ILogger logger, string pool, string client, int max);

        [LoggerMessage(EventId = EventIds.Admission.CountFailed, Level = LogLevel.Warning, Message = "Counting a client's connections to pool {Pool} failed")]
        public static partial void CountFailed(ILogger logger, string pool, Exception exception);
    }
}
