using System.Collections.Concurrent;
using WsOrleans.Edges;
using WsOrleans.Logging;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Carries out the cluster's orders to close tunnels (rebalancing, a drain with a deadline): the oldest
/// tunnels of the backend first, so the same clients are not moved again and again, spread evenly over the
/// order's window, each closed the WebSocket way with 1012 (Service Restart), which tells a client to
/// reconnect. An order replaces the earlier one for the same backend.
/// </summary>
internal sealed partial class TunnelCloser(TunnelRegistry tunnels, ILogger<TunnelCloser> logger) : IEdgeCommands
{
    /// <summary>The close code: the service is restarting; reconnect.</summary>
    public const int ServiceRestart = 1012;

    private readonly ConcurrentDictionary<(string Pool, string BackendId), CancellationTokenSource> _orders = new();

    public ValueTask Close(CloseOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var key = (order.Pool, order.BackendId);
        var current = new CancellationTokenSource();
        var previous = _orders.GetValueOrDefault(key);
        _orders[key] = current;
        previous?.Cancel();

        // The closes outlive this call: they must not carry its execution context.
        using (ExecutionContext.SuppressFlow())
        {
            _ = CarryOutAsync(order, current);
        }

        return ValueTask.CompletedTask;
    }

    private async Task CarryOutAsync(CloseOrder order, CancellationTokenSource cancellation)
    {
        var chosen = tunnels.Tunnels
            .Where(t => !t.Closing && t.Info.Pool == order.Pool && t.Info.BackendId == order.BackendId)
            .OrderBy(t => t.Info.Started)
            .Take(order.Count)
            .ToList();
        Log.Ordered(logger, order.Reason, order.Count, order.Pool, order.BackendId, chosen.Count);
        var reason = order.Reason == CloseReason.Drain ? "backend draining" : "rebalancing";
        var started = DateTime.UtcNow;
        try
        {
            for (var i = 0; i < chosen.Count; i++)
            {
                var due = started + (order.Within * i / chosen.Count) - DateTime.UtcNow;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellation.Token);
                }

                _ = chosen[i].CloseAsync(ServiceRestart, reason, TunnelRegistry.CloseHandshakeTimeout, order.Reason);
            }
        }
        catch (OperationCanceledException)
        {
            // A newer order for this backend replaced this one.
        }
        finally
        {
            _orders.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>((order.Pool, order.BackendId), cancellation));
            cancellation.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Tunneling.CloseOrdered, Level = LogLevel.Debug, Message = "Closing for {Reason}: {Count} tunnels asked of pool {Pool} backend {Backend}, {Chosen} held here")]
        public static partial void Ordered(ILogger logger, CloseReason reason, int count, string pool, string backend, int chosen);
    }
}
