using System.Diagnostics;
using System.Runtime;
using System.Threading.RateLimiting;
using WsOrleans.Bench.Metrics;
using WsOrleans.Bench.Reporting;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.RouteBench.Cluster;
using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// One measurement: <c>concurrency</c> callers, spread over the cluster's silos (their grain factories or
/// gateways), routing through one pool for a warm-up and a measured window, then every held connection released
/// and the routing grain's counts checked against what was routed.
/// </summary>
internal sealed class RouteRun(BenchCluster cluster, BenchPool pool, string routing, GatewayTraffic gateway, TurnTimer turns, RouteBenchSettings settings)
{
    /// <summary>
    /// The JIT is taken to have settled once it compiled at most <see cref="JitSettledMethods"/> methods in the last
    /// <see cref="JitQuietPeriod"/>: Orleans' periodic work keeps adding a few methods a second long after the
    /// hot paths are optimized, so "none at all" may never come.
    /// </summary>
    private static readonly TimeSpan JitQuietPeriod = TimeSpan.FromSeconds(3);

    private const int JitSettledMethods = 10;

    private static readonly TimeSpan JitWarmupMinimum = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan JitWarmupMaximum = TimeSpan.FromSeconds(60);

    private readonly string _mode = cluster.Mode;
    private readonly IPoolGrain _grain = cluster.Grains.GetGrain<IPoolGrain>(pool.Name);

    // Per benchmark edge (settings.EdgesPerSilo on each silo): the routing call as its callers make it, and the edge, which
    // counts and releases their connections.
    private readonly CallerEdge[] _entries =
        [.. cluster.CallerGrains
            .SelectMany((grains, silo) => Enumerable.Range(silo * settings.EdgesPerSilo, settings.EdgesPerSilo).Select(index => (Grains: grains, Index: index)))
            .Select(edge => CallerEdgeOf(edge.Grains, edge.Index, routing, pool))];

    /// <summary>
    /// Routes until the JIT has compiled nothing new for a while: tiered compilation takes many seconds to
    /// promote Orleans' hot paths to optimized code (longer on a busy machine), and a run measured before
    /// that measures the JIT. Nothing is reported; the counts are still checked.
    /// </summary>
    public async Task WarmUpJitAsync(int concurrency, CancellationToken stop)
    {
        await Task.WhenAll(_entries.Select(entry => entry.Edge.TakeLeaseAsync()));

        Progress.Write($"{_mode} {pool.Strategy}: warming up the JIT with {concurrency} callers until it compiles at most {JitSettledMethods} methods in {JitQuietPeriod.TotalSeconds:0} s");
        var clock = new RunClock(TimeSpan.Zero, JitWarmupMaximum);
        var (callers, loops, errors, _) = Start(concurrency, clock, new LatencyRecorder(), rate: 0, stop);
        var started = Stopwatch.GetTimestamp();
        var samples = new Queue<(long Timestamp, long Count)>();
        while (Stopwatch.GetTimestamp() < clock.End && !stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            var now = Stopwatch.GetTimestamp();
            var count = JitInfo.GetCompiledMethodCount();
            samples.Enqueue((now, count));
            while (Stopwatch.GetElapsedTime(samples.Peek().Timestamp, now) > JitQuietPeriod)
            {
                samples.Dequeue();
            }

            var window = Stopwatch.GetElapsedTime(samples.Peek().Timestamp, now);
            if (Stopwatch.GetElapsedTime(started, now) >= JitWarmupMinimum
                && window >= JitQuietPeriod - TimeSpan.FromMilliseconds(500)
                && count - samples.Peek().Count <= JitSettledMethods)
            {
                break;
            }
        }

        clock.StopNow();
        await Task.WhenAll(loops);
        var (exact, _, _) = await ReleaseAndSettleAsync(callers);
        Progress.Write($"  warm after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, {callers.Sum(c => c.Calls):N0} calls, "
            + $"{errors.Total} errors, counts {(exact ? "exact" : "NOT exact")}");
    }

    public async Task<RunResult> MeasureAsync(int concurrency, CancellationToken stop)
    {
        var hold = HoldPerCaller(concurrency);
        Progress.Write($"{_mode} {routing} {pool.Strategy} × {concurrency}: {settings.Warmup.TotalSeconds:0.###} s warm-up, "
            + $"{settings.Duration.TotalSeconds:0.###} s measured, {hold * concurrency} connections held open"
            + (settings.Rate > 0 ? $", {settings.Rate:N0} decisions/s" : ""));
        using var latency = new LatencyRecorder();
        var clock = new RunClock(settings.Warmup, settings.Duration);
        if (stop.IsCancellationRequested)
        {
            clock.StopNow();
        }

        var (callers, loops, errors, paces) = Start(concurrency, clock, latency, settings.Rate, stop);
        using var progressStop = new CancellationTokenSource();
        var progress = settings.ShowProgress ? ReportEverySecondAsync(callers, errors, progressStop.Token) : Task.CompletedTask;

        await clock.WaitUntilAsync(clock.MeasureStart, stop);
        var window = WindowCounters.Read(gateway);
        var turnTicks = turns.Ticks;
        turns.ForgetDeciders();
        using var samplingStop = new CancellationTokenSource();
        var spread = new SpreadSampler(callers, pool.BackendIds.Length);
        var sampling = spread.RunAsync(_grain, samplingStop.Token);
        await clock.WaitUntilAsync(clock.End, stop);
        var used = WindowCounters.Read(gateway) - window;
        var turnTime = Stopwatch.GetElapsedTime(0, turns.Ticks - turnTicks);
        var measuredSeconds = clock.MeasuredSeconds;
        await samplingStop.CancelAsync();
        await sampling;
        await progressStop.CancelAsync();
        await progress;
        await Task.WhenAll(loops);
        foreach (var pace in paces)
        {
            pace.Dispose();
        }

        // Edges routing by themselves decide outside any grain: one decider each.
        var routers = routing == BenchRouting.Edge ? _entries.Length : turns.Deciders;

        var (exact, settleSeconds, seen) = await ReleaseAndSettleAsync(callers);
        return new RunResult
        {
            Mode = _mode,
            Routing = routing,
            Silos = cluster.Silos,
            EdgesPerSilo = settings.EdgesPerSilo,
            Routers = routers,
            Strategy = pool.Strategy,
            Concurrency = concurrency,
            Backends = pool.BackendIds.Length,
            Open = hold * concurrency,
            Rate = settings.Rate,
            RandomLifetimes = settings.RandomLifetimes,
            EdgeTraffic = settings.EdgeTraffic,
            WarmupSeconds = settings.Warmup.TotalSeconds,
            DurationSeconds = measuredSeconds,
            Decisions = callers.Sum(c => c.Measured),
            Refused = callers.Sum(c => c.MeasuredRefused),
            Latency = latency.Snapshot(),
            Errors = errors.Total,
            ErrorKinds = errors.ByKind(),
            Window = used,
            RoutesByBackend = [.. pool.BackendIds.Select((id, i) => KeyValuePair.Create(id, callers.Sum(c => c.MeasuredByBackend[i])))],
            CountsExact = exact,
            SettleSeconds = settleSeconds,
            CountsSeen = seen,
            MaxSpread = spread.MaxSpread,
            MaxViewSpread = spread.MaxViewSpread,
            MeanLivePerBackend = spread.MeanLivePerBackend,
            MaxSpreadToBound = spread.MaxSpreadToBound,
            WorstMoment = spread.WorstMoment,
            SpreadSamples = spread.Samples,
            TurnTime = turns.Enabled ? turnTime : null,
        };
    }

    private int HoldPerCaller(int concurrency) => settings.Open == 0 ? 0 : (settings.Open + concurrency - 1) / concurrency;

    private (RouteCaller[] Callers, Task[] Loops, ErrorCounter Errors, List<RateLimiter> Paces) Start(
        int concurrency, RunClock clock, LatencyRecorder latency, int rate, CancellationToken stop)
    {
        var errors = new ErrorCounter();
        var hold = HoldPerCaller(concurrency);
        var middle = clock.MeasureStart + ((clock.End - clock.MeasureStart) / 2);
        var traffic = _entries.Length == 1 ? EdgeTraffics.Even : settings.EdgeTraffic;
        var edges = Enumerable.Range(0, concurrency).Select(i => EdgeOf(i, concurrency, traffic)).ToArray();
        var paces = new List<RateLimiter>();

        // Each group of callers with a pace of its own takes its part of the rate, so connections live as long in each.
        RateLimiter? PaceOf(int callers)
        {
            if (rate == 0 || callers == 0)
            {
                return null;
            }

            paces.Add(Pace((int)((long)rate * callers / concurrency), callers));
            return paces[^1];
        }

        var surging = traffic == EdgeTraffics.Surge;
        var firstEdgeCallers = edges.Count(edge => edge == 0);
        var (firstEdgePace, othersPace) = surging ? (PaceOf(firstEdgeCallers), PaceOf(concurrency - firstEdgeCallers)) : (null, null);
        var sharedPace = surging ? null : PaceOf(concurrency);
        var callers = edges
            .Select(edge => traffic switch
            {
                EdgeTraffics.Shift when edge == 0 => (First: _entries[0], Then: _entries[1], StartsAt: 0L, MovesAt: middle, Pace: sharedPace),
                EdgeTraffics.Surge => (First: _entries[edge], Then: _entries[edge], StartsAt: edge == 0 ? 0L : middle, MovesAt: long.MaxValue, Pace: edge == 0 ? firstEdgePace : othersPace),
                _ => (First: _entries[edge], Then: _entries[edge], StartsAt: 0L, MovesAt: long.MaxValue, Pace: sharedPace),
            })
            .Select(c => new RouteCaller(c.First, c.Then, c.StartsAt, c.MovesAt, hold, settings.RandomLifetimes, clock, latency, errors, c.Pace))
            .ToArray();
        return (callers, [.. callers.Select(caller => caller.RunAsync(stop))], errors, paces);
    }

    /// <summary>
    /// The edge caller <paramref name="caller"/> calls through first: in turn, or with uneven (and shifting) edges the
    /// first edge for half of the callers and the others in turn for the rest (one edge then makes half of the pool's
    /// decisions).
    /// </summary>
    private int EdgeOf(int caller, int concurrency, string traffic) =>
        traffic is not (EdgeTraffics.Uneven or EdgeTraffics.Shift) ? caller % _entries.Length
        : caller < concurrency / 2 ? 0
        : 1 + (caller % (_entries.Length - 1));

    /// <summary>
    /// <paramref name="rate"/> tokens a second, a hundredth of them every 10 ms (or one at a time below 100 a second):
    /// the limiter's timer adds one period's tokens per tick, and a 1 ms period paced 10,000/s to 2,000/s here.
    /// </summary>
    private static TokenBucketRateLimiter Pace(int rate, int concurrency)
    {
        var perPeriod = Math.Max(1, rate / 100);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perPeriod / rate),
            QueueLimit = concurrency,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// Releases every connection the callers still hold, then waits until the routing grain reports 0 live
    /// connections on every backend and, in total, exactly the connections routed so far: every Reserve,
    /// Release and push arrived and was counted once.
    /// </summary>
    private async Task<(bool Exact, double Seconds, (long Live, long Total, long Expected) Seen)> ReleaseAndSettleAsync(RouteCaller[] callers)
    {
        foreach (var caller in callers)
        {
            caller.ReleaseAll();
        }

        pool.Routed += callers.Sum(c => c.Routed);
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var status = await _grain.GetStatus();
            var live = status?.Backends.Sum(b => b.Connections) ?? -1;
            var total = status?.Backends.Sum(b => b.TotalConnections) ?? -1;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (live == 0 && total == pool.Routed)
            {
                return (true, elapsed.TotalSeconds, (live, total, pool.Routed));
            }

            if (elapsed > settings.SettleTimeout)
            {
                // Which side is off: the backend grains' own counts, or the routing grain's view of them.
                var backends = pool.BackendIds.Select(id => cluster.Grains.GetGrain<IBackendGrain>(BackendKey.Format(pool.Name, id))).ToList();
                var views = await Task.WhenAll(backends.Select(b => b.GetView().AsTask()));
                var byEdge = await Task.WhenAll(backends.Select(b => b.GetLiveByEdge().AsTask()));
                Progress.Write($"  counts did not settle: the routing grain shows {live} live, {total} total; the backend grains hold "
                    + string.Join(", ", views.Zip(byEdge).Select(v => $"{v.First.Settings.Id} {v.First.Live} live ({string.Join(" ", v.Second.Select(e => $"{e.Key}: {e.Value}"))}), {v.First.TotalConnections} total")));
                return (false, elapsed.TotalSeconds, (live, total, pool.Routed));
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private static CallerEdge CallerEdgeOf(IGrainFactory grains, int index, string routing, BenchPool pool)
    {
        var edge = pool.Edge(index, grains);
        return new CallerEdge(RouteThrough(grains, index, routing, pool), new RouteRequest(edge.EdgeId, null), edge);
    }

    /// <summary>
    /// The routing call: by edge <paramref name="index"/> itself, through the silo's (or gateway's) router, or straight
    /// to the pool grain's one activation.
    /// </summary>
    private static Func<RouteRequest, ValueTask<RouteResult>> RouteThrough(IGrainFactory grains, int index, string routing, BenchPool pool)
    {
        if (routing == BenchRouting.Edge)
        {
            return pool.EdgeRouter(index, grains).RouteAsync;
        }

        if (routing == BenchRouting.Router)
        {
            return grains.GetGrain<IPoolRouterGrain>(pool.Name).Route;
        }

        return grains.GetGrain<IPoolGrain>(pool.Name).Route;
    }

    private static Task ReportEverySecondAsync(RouteCaller[] callers, ErrorCounter errors, CancellationToken cancellationToken)
    {
        var last = 0L;
        return Progress.EveryAsync(TimeSpan.FromSeconds(1), () =>
        {
            var total = callers.Sum(c => c.Calls);
            var line = $"  {total - last}/s, {errors.Total} errors";
            last = total;
            return line;
        }, cancellationToken);
    }
}
