using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using WsOrleans.Edge.Admission;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Routing;
using WsOrleans.Edge.Transport;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Edge.Tunneling.EventLoop;
using WsOrleans.Edge.Upgrade;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;

namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// Carries the tunnel of an upgraded handshake. A plain HTTP/1.1 connection on the edge's own transport is detached
/// from Kestrel and carried socket to socket in the background (the request ends at once, and Kestrel frees what it
/// held for the connection), on an event loop when the backend is plain too; anything else (HTTP/2, TLS) is carried
/// on the upgraded request stream until it ends.
/// </summary>
internal sealed partial class TunnelCarrier(
    TunnelRegistry tunnels,
    EventLoops loops,
    EdgeConnections connections,
    WsOrleansSettings settings,
    ILogger<TunnelCarrier> logger)
{
    /// <summary>
    /// Carries the tunnel. Returns true when it runs on in the background, in which case it also reports the
    /// connection's end to the cluster (and gives back its admission lease) when it ends.
    /// </summary>
    public async Task<bool> CarryAsync(HttpContext context, UpgradeOutcome.Upgraded upgraded, BackendConnections backend, string backendAddress)
    {
        var info = new TunnelInfo(context.TraceIdentifier, RequestKeyReader.ClientAddress(context), backend.Pool, backend.BackendId, backendAddress);
        if (CanDetach(context) && context.Features.Get<EdgeSocketConnection>() is { } connection)
        {
            var client = await connection.DetachAsync();

            // The detached transport ended the request stream: what it still holds is what the
            // client sent right after its handshake, before anyone read it.
            using var unread = new MemoryStream();
            await upgraded.Client.CopyToAsync(unread);
            Tunnel tunnel = OnEventLoop(upgraded.Backend) is { } backendSocket && loops.TryTakeOver(client, backendSocket, out var clientFd, out var backendFd)
                ? new LoopTunnel(loops, clientFd, backendFd, info)
                : new ManagedTunnel(new SocketSide(client), upgraded.Backend, detached: true, info);
            var lease = AdmissionLease.TakeOver(context);

            // The tunnel outlives this request: it must not carry the request's execution context.
            using (ExecutionContext.SuppressFlow())
            {
                _ = RunDetachedAsync(tunnel, unread.ToArray(), upgraded.FromBackend, backend, lease);
            }

            return true;
        }

        await tunnels.RunAsync(new ManagedTunnel(new StreamSide(upgraded.Client), upgraded.Backend, detached: false, info), default, upgraded.FromBackend);
        return false;
    }

    /// <summary>The backend's socket when the event loop carries this tunnel: a plain backend, on Linux x64, unless <c>Edge:Tunnel</c> is <c>Managed</c>.</summary>
    private Socket? OnEventLoop(ITunnelSide backend) =>
        settings.Edge.Tunnel == TunnelEngine.EventLoop && LinuxSockets.Supported && backend is SocketSide plain ? plain.Socket : null;

    private bool CanDetach(HttpContext context) =>
        settings.Edge.DetachTunnels
        && HttpProtocol.IsHttp11(context.Request.Protocol)
        && context.Features.Get<ITlsConnectionFeature>() is null;

    private async Task RunDetachedAsync(Tunnel tunnel, ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend, BackendConnections backend, AdmissionLease? lease)
    {
        try
        {
            await tunnels.RunAsync(tunnel, fromClient, fromBackend);
            if (tunnel is LoopTunnel { Faulted: { } fault })
            {
                Log.TunnelFailed(logger, fault);
            }
        }
        catch (Exception e)
        {
            Log.TunnelFailed(logger, e);
        }
        finally
        {
            connections.Close(backend);
            lease?.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Forwarding.DetachedTunnelFailed, Level = LogLevel.Error, Message = "A detached tunnel failed")]
        public static partial void TunnelFailed(ILogger logger, Exception exception);
    }
}
