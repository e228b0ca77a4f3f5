using Microsoft.AspNetCore.Http.Features;
using WsOrleans.Edge.Admission;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Transport;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Runs the tunnel of a handshake the edge has taken over from YARP. A plain HTTP/1.1 connection
/// on the edge's own transport is detached from Kestrel and carried socket to socket in the
/// background (the request ends at once, and Kestrel frees what it held for the connection);
/// anything else (HTTP/2, TLS) is carried on the upgraded request stream until it ends. Every
/// tunnel is logged when it opens and when it closes, and counted in the metrics.
/// </summary>
internal sealed partial class TunnelCarrier(
    TunnelRegistry tunnels,
    EdgeConnections connections,
    EdgeMetrics metrics,
    WsOrleansSettings settings,
    ILoggerFactory loggers)
{
    /// <summary>The category of the connection log, so it can be kept or silenced on its own.</summary>
    public const string ConnectionLogCategory = "WsOrleans.Connections";

    private readonly ILogger _log = loggers.CreateLogger(ConnectionLogCategory);

    /// <summary>
    /// Carries the tunnel. Returns true when it runs on in the background, in which case it also
    /// reports the connection's end to the cluster when it ends.
    /// </summary>
    public async Task<bool> CarryAsync(HttpContext context, TunnelHandoff handoff, BackendConnections backend, string backendAddress)
    {
        var info = new TunnelInfo(context.TraceIdentifier, RequestKeyReader.ClientAddress(context), backend.Pool, backend.BackendId, backendAddress);
        var backendSide = handoff.Backend!;
        var fromBackend = handoff.BackendStream!.Unread;
        if (CanDetach(context) && context.Features.Get<EdgeSocketConnection>() is { } connection)
        {
            var client = await connection.DetachAsync();

            // The detached transport ended the request stream: what it still holds is what the
            // client sent right after its handshake, before anyone read it.
            using var unread = new MemoryStream();
            await handoff.Client!.CopyToAsync(unread);
            var tunnel = new Tunnel(new SocketSide(client), backendSide, detached: true, info);
            var lease = AdmissionLease.TakeOver(context);

            // The tunnel outlives this request: it must not carry the request's execution context.
            using (ExecutionContext.SuppressFlow())
            {
                _ = RunDetachedAsync(tunnel, unread.ToArray(), fromBackend, backend, lease);
            }

            return true;
        }

        await RunAsync(new Tunnel(new StreamSide(handoff.Client!), backendSide, detached: false, info), default, fromBackend);
        return false;
    }

    private bool CanDetach(HttpContext context) =>
        settings.Edge.DetachTunnels
        && HttpProtocol.IsHttp11(context.Request.Protocol)
        && context.Features.Get<ITlsConnectionFeature>() is null;

    private async Task RunDetachedAsync(Tunnel tunnel, ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend, BackendConnections backend, AdmissionLease? lease)
    {
        try
        {
            await RunAsync(tunnel, fromClient, fromBackend);
        }
        catch (Exception e)
        {
            Log.TunnelFailed(_log, e);
        }
        finally
        {
            connections.Close(backend);
            lease?.Dispose();
        }
    }

    private async Task RunAsync(Tunnel tunnel, ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        var info = tunnel.Info!;
        tunnels.Add(tunnel);
        metrics.Opened(info);
        Log.Opened(_log, info.ConnectionId, info.ClientAddress, info.Pool, info.BackendId, info.BackendAddress, tunnel.Detached ? "socket" : "stream");
        try
        {
            await tunnel.RunAsync(fromClient, fromBackend);
        }
        finally
        {
            metrics.Closed(info, tunnel);
            var (closedBy, closeCode) = tunnel.Closer;
            Log.Closed(
                _log, info.ConnectionId, info.ClientAddress, info.Pool, info.BackendId,
                Environment.TickCount64 - info.Started, tunnel.BytesToBackend, tunnel.BytesToClient,
                tunnel.FromClient.Messages, tunnel.FromBackend.Messages, closedBy, closeCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "A detached tunnel failed")]
        public static partial void TunnelFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 10, Level = LogLevel.Information, EventName = "TunnelOpened",
            Message = "Tunnel {ConnectionId} opened: client {ClientAddress} to pool {Pool} backend {Backend} at {BackendAddress} ({Carrier})")]
        public static partial void Opened(ILogger logger, string connectionId, string? clientAddress, string pool, string backend, string backendAddress, string carrier);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, EventName = "TunnelClosed",
            Message = "Tunnel {ConnectionId} closed by {ClosedBy} (code {CloseCode}) after {DurationMs} ms: client {ClientAddress}, pool {Pool}, backend {Backend}; "
                + "{BytesToBackend} bytes / {MessagesToBackend} messages to the backend, {BytesToClient} bytes / {MessagesToClient} messages to the client")]
        public static partial void Closed(
            ILogger logger, string connectionId, string? clientAddress, string pool, string backend, long durationMs,
            long bytesToBackend, long bytesToClient, long messagesToBackend, long messagesToClient, string closedBy, int? closeCode);
    }
}
