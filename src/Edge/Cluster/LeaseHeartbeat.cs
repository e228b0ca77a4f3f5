using System.Collections.Immutable;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WsOrleans.Backends;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Edges;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;

namespace WsOrleans.Edge.Cluster;

/// <summary>
/// Keeps this edge's lease: every <see cref="EdgeSettings.HeartbeatInterval"/> it reports its live
/// connections to each backend grain (one-way; the report is the truth for the connections this edge
/// carries, so counts a silo crash lost come back) and heartbeats to its edge grain. While the
/// cluster cannot be reached it tries every second, and reports again as soon as it can. On a
/// graceful stop, once the tunnels are drained, it reports the final counts and leaves.
/// </summary>
internal sealed partial class LeaseHeartbeat(
    EdgeConnections connections,
    TunnelRegistry tunnels,
    TunnelCloser closer,
    IGrainFactory grains,
    IServer server,
    WsOrleansSettings settings,
    ILogger<LeaseHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _sequence;

    // Where the cluster sends this edge its orders; sent with every heartbeat, so a rebuilt edge grain learns it again.
    private IEdgeCommands? _commands;

    private TimeSpan Interval => settings.Edge.HeartbeatInterval;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Heartbeats go on while the tunnels drain (a drain window may be longer than the lease,
            // and the tunnels still open must stay counted). The drain releases each tunnel as it
            // closes; the final report confirms the counts and the edge leaves the registry, so
            // nothing waits for the lease to lapse.
            try
            {
                await tunnels.DrainAsync().WaitAsync(cancellationToken);
            }
            finally
            {
                await base.StopAsync(cancellationToken);
            }

            Report([]);
            await grains.GetGrain<IEdgeGrain>(connections.EdgeId).Leave().AsTask().WaitAsync(LeaveTimeout, cancellationToken);
            Log.Left(logger, connections.EdgeId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.LeaveFailed(logger, connections.EdgeId, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        connections.BackendAdded += Wake;
        var reachable = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken);
                if (!reachable)
                {
                    Log.Reconnected(logger, connections.EdgeId);
                }

                reachable = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (reachable)
                {
                    Log.HeartbeatFailed(logger, connections.EdgeId, e.Message);
                }

                reachable = false;
            }

            try
            {
                await _wake.WaitAsync(reachable ? Interval : TimeSpan.FromTicks(Math.Min(Interval.Ticks, RetryInterval.Ticks)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var reported = new List<(BackendConnections Backend, long Live)>();
        var counts = Report(reported);
        _commands ??= grains.CreateObjectReference<IEdgeCommands>(closer);
        var heartbeat = new EdgeHeartbeat(Address(), settings.Edge.LeaseTime, counts, _commands);
        await grains.GetGrain<IEdgeGrain>(connections.EdgeId).Heartbeat(heartbeat).AsTask().WaitAsync(Interval, cancellationToken);

        // The cluster answered, so the reports sent just before reached it (as far as an edge can know).
        foreach (var (backend, live) in reported)
        {
            backend.Reported(live);
        }
    }

    /// <summary>
    /// Sends each backend grain this edge's count (one-way), adds what it sent to <paramref name="reported"/>, and
    /// returns the non-zero counts.
    /// </summary>
    private ImmutableArray<EdgeBackendCount> Report(List<(BackendConnections Backend, long Live)> reported)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var counts = ImmutableArray.CreateBuilder<EdgeBackendCount>();
        foreach (var backend in connections.Backends)
        {
            var (snapshot, released, seen) = backend.Snapshot();
            var live = connections.CountToReport(backend, snapshot);

            reported.Add((backend, live));
            backend.Grain.Report(new EdgeReport(connections.EdgeId, connections.Instance, sequence, settings.Edge.LeaseTime, live, released, seen, Interval)).Forget();
            if (live != 0)
            {
                counts.Add(new EdgeBackendCount(backend.Pool, backend.BackendId, live));
            }
        }

        return counts.ToImmutable();
    }

    private string Address() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses ? string.Join(";", addresses) : "";

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A heartbeat is already due.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.EdgeCluster.HeartbeatFailed, Level = LogLevel.Warning, Message = "Edge {Edge} could not renew its lease: {Reason}; retrying every second")]
        public static partial void HeartbeatFailed(ILogger logger, string edge, string reason);

        [LoggerMessage(EventId = EventIds.EdgeCluster.Reconnected, Level = LogLevel.Information, Message = "Edge {Edge} reached the cluster again and re-reported its connections")]
        public static partial void Reconnected(ILogger logger, string edge);

        [LoggerMessage(EventId = EventIds.EdgeCluster.Left, Level = LogLevel.Information, Message = "Edge {Edge} left the cluster")]
        public static partial void Left(ILogger logger, string edge);

        [LoggerMessage(EventId = EventIds.EdgeCluster.LeaveFailed, Level = LogLevel.Warning, Message = "Edge {Edge} could not leave the cluster cleanly; its lease will lapse: {Reason}")]
        public static partial void LeaveFailed(ILogger logger, string edge, string reason);
    }
}
