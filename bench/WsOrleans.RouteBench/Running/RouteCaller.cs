using System.Diagnostics;
using System.Threading.RateLimiting;
using WsOrleans.Bench.Metrics;
using WsOrleans.Edge.Connections;
using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// One closed loop of routing decisions, as one handshake after another on an edge: await
/// the route (an edge's own, a router's, or the pool grain's), count the routed connection as open at its edge, and once
/// this caller holds <c>hold</c> connections, close one (its release sent to its backend grain, as an edge does) for
/// each new one. Arrivals then equal departures and the counts the strategy sees stay at a realistic level. When paced,
/// each call first takes a token of its pace. The caller starts at <paramref name="startsAt"/>, and from
/// <paramref name="movesAt"/> on (both timestamps) routes through <paramref name="then"/> instead of
/// <paramref name="first"/>, as a client reconnecting through another edge; each connection is closed at the edge that
/// opened it.
/// </summary>
internal sealed class RouteCaller(
    CallerEdge first,
    CallerEdge then,
    long startsAt,
    long movesAt,
    int hold,
    bool randomLifetimes,
    RunClock clock,
    LatencyRecorder latency,
    ErrorCounter errors,
    RateLimiter? pace)
{
    /// <summary>After a failed call, so a broken cluster does not turn the loop into a busy spin.</summary>
    private static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(10);

    // The connections held, oldest first. Closing the oldest gives every connection the same life (hold / the caller's
    // rate); closing one at random gives lives of random length with that mean, as clients' are.
    private readonly List<(BenchEdge Edge, BackendConnections Backend, int Index)> _open = new(hold + 1);
    private readonly long[] _measuredByBackend = new long[first.Edge.BackendIds.Count];
    private readonly int[] _heldByBackend = new int[first.Edge.BackendIds.Count];
    private long _calls;
    private long _routed;
    private long _measured;
    private long _measuredRefused;

    /// <summary>Calls completed so far, warm-up included; safe to read while running.</summary>
    public long Calls => Volatile.Read(ref _calls);

    /// <summary>Connections this caller was given, warm-up included; read it once the loop has ended.</summary>
    public long Routed => _routed;

    /// <summary>Decisions (routed or refused) completed inside the measured window; read it once the loop has ended.</summary>
    public long Measured => _measured;

    /// <summary>Of <see cref="Measured"/>, the ones that were refused (no backend could take the connection).</summary>
    public long MeasuredRefused => _measuredRefused;

    /// <summary>Of <see cref="Measured"/>, how many went to each backend, by index.</summary>
    public IReadOnlyList<long> MeasuredByBackend => _measuredByBackend;

    /// <summary>Connections this caller holds now on the backend at <paramref name="index"/>; safe to read while running.</summary>
    public int Held(int index) => Volatile.Read(ref _heldByBackend[index]);

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield();
        await clock.WaitUntilAsync(startsAt, stop);
        while (Stopwatch.GetTimestamp() < clock.End)
        {
            if (pace is not null && !await TakeTurnAsync(pace, stop))
            {
                break;
            }

            var started = Stopwatch.GetTimestamp();
            var (route, request, edge) = started < movesAt ? first : then;
            RouteResult result;
            try
            {
                result = await route(request);
            }
            catch (Exception exception)
            {
                errors.Add(exception);
                await PauseAfterFailureAsync(stop);
                continue;
            }

            var completed = Stopwatch.GetTimestamp();
            var measured = clock.IsMeasured(completed);
            if (measured)
            {
                latency.Record(started, completed);
                _measured++;
            }

            if (result is { Outcome: RouteOutcome.Routed, BackendId: { } backendId })
            {
                _routed++;
                var index = edge.IndexOf(backendId);
                if (measured)
                {
                    _measuredByBackend[index]++;
                }

                _open.Add((edge, edge.Open(backendId, result.Reservation), index));
                Hold(index, +1);
                while (_open.Count > hold)
                {
                    Close(TakeOne());
                }
            }
            else if (measured)
            {
                _measuredRefused++;
            }

            Volatile.Write(ref _calls, _calls + 1);
        }
    }

    /// <summary>Closes every connection this caller still holds; call it once the loop has ended.</summary>
    public void ReleaseAll()
    {
        foreach (var open in _open)
        {
            Close(open);
        }

        _open.Clear();
    }

    /// <summary>The connection to close: the oldest, or with <c>randomLifetimes</c> any one of those held.</summary>
    private (BenchEdge Edge, BackendConnections Backend, int Index) TakeOne()
    {
        var index = randomLifetimes ? Random.Shared.Next(_open.Count) : 0;
        var taken = _open[index];
        if (randomLifetimes)
        {
            _open[index] = _open[^1];
            _open.RemoveAt(_open.Count - 1);
        }
        else
        {
            _open.RemoveAt(0);
        }

        return taken;
    }

    private void Close((BenchEdge Edge, BackendConnections Backend, int Index) open)
    {
        Hold(open.Index, -1);
        open.Edge.Close(open.Backend);
    }

    private void Hold(int index, int delta)
    {
        ref var held = ref _heldByBackend[index];
        Volatile.Write(ref held, held + delta);
    }

    /// <summary>Waits for the pace's next token; false when the run is stopped meanwhile.</summary>
    private static async Task<bool> TakeTurnAsync(RateLimiter pace, CancellationToken stop)
    {
        try
        {
            using var lease = await pace.AcquireAsync(1, stop);
            return lease.IsAcquired;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task PauseAfterFailureAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(FailurePause, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
