using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using WsOrleans.Edges;
using WsOrleans.Logging;

namespace WsOrleans.Backends;

/// <summary>
/// A rebuild of counts lost with a silo (docs/accounting.md, "Reconciliation after a silo crash"). On activation the
/// grain counts each edge by its last heartbeat to the edge registry, at least, until the edge's report gives the exact
/// count. By the end of the rebuild every edge that reaches this grain has reported; one that has not, because all its
/// messages for this grain go through a gateway silo cut off from this one, stays counted from its heartbeats, which
/// travel another way.
/// </summary>
internal sealed partial class BackendGrain
{
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(5);

    private async Task CountFromHeartbeatsAsync()
    {
        if (await CountUnreportedEdgesAsync(warn: false, CancellationToken.None))
        {
            PushCounts();
        }
    }

    private async Task CountsRebuiltAsync(CancellationToken cancellationToken)
    {
        await CountUnreportedEdgesAsync(warn: true, cancellationToken);
        _rebuilding = false;
        Log.CountsRebuilt(logger, this.GetPrimaryKeyString(), _live, string.Join(", ", _ledgers.Where(l => l.Value.Reported).Select(l => $"{l.Key} {_liveByEdge.GetValueOrDefault(l.Key)}")));
        _version++;
        Push();
    }

    /// <summary>
    /// Counts each edge that has not reported to this activation by what its last heartbeat said it holds here, plus
    /// what this activation admitted for it since: at least what it holds, never less. Its first report replaces that
    /// with the exact count; without one, its lease here lapses as any silent edge's does. True when a count changed.
    /// </summary>
    private async Task<bool> CountUnreportedEdgesAsync(bool warn, CancellationToken cancellationToken)
    {
        ImmutableArray<EdgeStatus> edges;
        try
        {
            edges = await GrainFactory.GetGrain<IEdgeRegistryGrain>(0).GetEdges().AsTask().WaitAsync(RegistryTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.RegistryUnread(logger, this.GetPrimaryKeyString(), e.Message);
            return false;
        }

        var (pool, backendId) = BackendKey.Parse(this.GetPrimaryKeyString());
        var now = time.GetUtcNow();
        var changed = false;
        foreach (var edge in edges)
        {
            var ledger = _ledgers.GetValueOrDefault(edge.Id);
            var heard = edge.Backends.FirstOrDefault(b => b.Pool == pool && b.BackendId == backendId)?.Connections ?? 0;
            if (ledger?.Reported == true || heard <= 0 || edge.LeaseExpires <= now)
            {
                continue;
            }

            var atLeast = heard + (ledger?.ReservationsAfter.Count ?? 0);
            var counted = _liveByEdge.GetValueOrDefault(edge.Id);
            if (warn)
            {
                Log.CountedFromHeartbeat(logger, this.GetPrimaryKeyString(), edge.Id, Math.Max(atLeast, counted));
            }

            var delta = atLeast - counted;
            if (delta > 0)
            {
                ledger ??= Ledger(edge.Id);
                ledger.Renewed = time.GetTimestamp();
                ledger.LeaseTime = edge.LeaseExpires - now;
                Count(edge.Id, delta);
                changed = true;
            }
        }

        return changed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Backends.CountsRebuilding, Level = LogLevel.Information, Message = "Backend {Backend}: activated again (incarnation {Incarnation}) after its counts were lost with a silo; if capped, it takes no connection for {Seconds} s while the edges' reports rebuild them")]
        public static partial void CountsRebuilding(ILogger logger, string backend, int incarnation, double seconds);

        [LoggerMessage(EventId = EventIds.Backends.CountsRebuilt, Level = LogLevel.Information, Message = "Backend {Backend}: counts rebuilt, {Live} live; reported by: {Edges}")]
        public static partial void CountsRebuilt(ILogger logger, string backend, long live, string edges);

        [LoggerMessage(EventId = EventIds.Backends.CountedFromHeartbeat, Level = LogLevel.Warning, Message = "Backend {Backend}: edge {Edge} has not reported here since this grain was activated again; it stays counted at {Count} connections at least, from its last heartbeat to the edge registry")]
        public static partial void CountedFromHeartbeat(ILogger logger, string backend, string edge, long count);

        [LoggerMessage(EventId = EventIds.Backends.RegistryUnread, Level = LogLevel.Warning, Message = "Backend {Backend}: the edge registry could not be read during a rebuild of counts ({Reason}); the count is what the edges reported")]
        public static partial void RegistryUnread(ILogger logger, string backend, string reason);
    }
}
