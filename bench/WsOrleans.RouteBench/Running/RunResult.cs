using HdrHistogram;

namespace WsOrleans.RouteBench.Running;

/// <summary>What one (mode, strategy, concurrency) run measured.</summary>
internal sealed record class RunResult
{
    public required string Mode { get; init; }

    public required string Strategy { get; init; }

    /// <summary>What decided: <see cref="BenchRouting.Router"/> (a router per silo) or <see cref="BenchRouting.Pool"/> (the pool grain's one activation).</summary>
    public required string Routing { get; init; }

    /// <summary>Silos in the cluster; the callers are spread evenly over them.</summary>
    public required int Silos { get; init; }

    /// <summary>Benchmark edges per silo, the callers spread evenly over them.</summary>
    public required int EdgesPerSilo { get; init; }

    /// <summary>Activations that answered this pool's routing calls in the window, on every silo.</summary>
    public required int Routers { get; init; }

    public required int Concurrency { get; init; }

    public required int Backends { get; init; }

    /// <summary>Connections held open across all callers while measuring (each caller's share × callers).</summary>
    public required int Open { get; init; }

    /// <summary>The decisions per second the callers were paced to; 0 when they called as fast as answered.</summary>
    public required int Rate { get; init; }

    /// <summary>Whether callers closed a random held connection rather than their oldest (connections of random lives).</summary>
    public bool RandomLifetimes { get; init; }

    /// <summary>How the callers spread over the edges: one of <see cref="EdgeTraffics"/>.</summary>
    public required string EdgeTraffic { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>The measured window; shorter than asked when the run was stopped.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Route calls that completed in the window, routed or refused.</summary>
    public required long Decisions { get; init; }

    public required long Refused { get; init; }

    /// <summary>Route call latency in microseconds, as the caller saw it.</summary>
    public required LongHistogram Latency { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyList<KeyValuePair<string, long>> ErrorKinds { get; init; }

    /// <summary>What the process (callers, client and silo) and the machine used in the window.</summary>
    public required WindowCounters Window { get; init; }

    /// <summary>CPU time other processes (and the hypervisor) took from this machine's cores in the window.</summary>
    public double OtherCpuSeconds => Math.Max(0, (Window.MachineBusy - Window.Cpu).TotalSeconds);

    /// <summary>Decisions in the window per backend id.</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> RoutesByBackend { get; init; }

    /// <summary>
    /// Whether, once every connection was released, the routing grain's counts came back to 0 live on every
    /// backend and its totals to exactly the number of connections routed.
    /// </summary>
    public required bool CountsExact { get; init; }

    /// <summary>How long that took, or the timeout when it never happened.</summary>
    public required double SettleSeconds { get; init; }

    /// <summary>What the routing grain said last: live and total connections over all backends.</summary>
    public required (long Live, long Total, long Expected) CountsSeen { get; init; }

    /// <summary>The widest gap in the window between the backends with the most and the fewest connections held.</summary>
    public required long MaxSpread { get; init; }

    /// <summary>The same gap in the routing grain's own counts, which the strategy balances on.</summary>
    public required long MaxViewSpread { get; init; }

    /// <summary>Connections held per backend, averaged over the window's samples: what the spread is measured against.</summary>
    public required double MeanLivePerBackend { get; init; }

    /// <summary>The widest gap against the bound of its own moment (<see cref="BoundFor"/> of the mean then): over 1 is outside it.</summary>
    public required double MaxSpreadToBound { get; init; }

    /// <summary>When the spread was widest against its bound (seconds into the window), the gap then and the mean live count per backend then.</summary>
    public required (double Seconds, long Spread, double Mean) WorstMoment { get; init; }

    public required int SpreadSamples { get; init; }

    /// <summary>Time pool grains spent in turns (Route, pushes, status, routing reads) in the window; null when turns were not timed.</summary>
    public required TimeSpan? TurnTime { get; init; }

    /// <summary>The spread a pool may have at any instant: max(2, 2 % of the mean live count per backend).</summary>
    public double SpreadBound => BoundFor(MeanLivePerBackend);

    /// <summary>The spread allowed with <paramref name="meanLive"/> connections per backend: max(2, 2 % of it).</summary>
    public static double BoundFor(double meanLive) => Math.Max(2, 0.02 * meanLive);

    /// <summary>How busy the pool grain was, as a share of the window (1 is its activation busy all along).</summary>
    public double? PoolGrainBusy => TurnTime is { } time && DurationSeconds > 0 ? time.TotalSeconds / DurationSeconds : null;

    /// <summary>Pool-grain time per decision in microseconds; null when turns were not timed.</summary>
    public double? PoolGrainUsPerDecision => TurnTime is { } time && Decisions > 0 ? time.TotalMicroseconds / Decisions : null;

    /// <summary>How long a connection stayed open: the connections held over the rate they were replaced at.</summary>
    public TimeSpan ConnectionLifetime => DecisionsPerSecond > 0 ? TimeSpan.FromSeconds(Open / DecisionsPerSecond) : TimeSpan.Zero;

    public double DecisionsPerSecond => DurationSeconds > 0 ? Decisions / DurationSeconds : 0;
}
