using System.Collections.Immutable;

namespace WsOrleans.RouteBench;

/// <summary>What one invocation measures: every mode × strategy × concurrency combination, one after another.</summary>
internal sealed record class RouteBenchSettings
{
    /// <summary>Where the callers sit: <see cref="BenchModes.Cohosted"/> and/or <see cref="BenchModes.Loopback"/>.</summary>
    public required ImmutableArray<string> Modes { get; init; }

    /// <summary>Silos in the cluster, one cluster each (the callers spread evenly over them); the default is one.</summary>
    public ImmutableArray<int> Silos { get; init; } = [1];

    /// <summary>Benchmark edges per silo (or gateway), the callers spread evenly over them; the default is one.</summary>
    public int EdgesPerSilo { get; init; } = 1;

    /// <summary>How the callers spread over the edges, and whether that changes at the middle of the measured window: one of <see cref="EdgeTraffics"/>.</summary>
    public string EdgeTraffic { get; init; } = EdgeTraffics.Even;

    /// <summary>What decides: <see cref="BenchRouting.Edge"/>, <see cref="BenchRouting.Router"/> and/or <see cref="BenchRouting.Pool"/> (the one-activation baseline).</summary>
    public ImmutableArray<string> Routing { get; init; } = [.. BenchRouting.All];

    /// <summary>Time the routing grain's turns (an incoming call filter on the silos); off to measure without it.</summary>
    public bool TimeTurns { get; init; } = true;

    /// <summary>The balancing strategies to seed the pool with, one pool each.</summary>
    public required ImmutableArray<string> Strategies { get; init; }

    /// <summary>Concurrent callers, each a closed loop of <c>Route</c> calls.</summary>
    public required ImmutableArray<int> Concurrency { get; init; }

    /// <summary>Backends in the pool. The default is 3.</summary>
    public int Backends { get; init; } = 3;

    /// <summary>The measured window of each run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls before each measured window, not counted.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Connections held open across all callers: once a caller holds its share, each new route releases its
    /// oldest one. 0 releases every connection as soon as it is routed.
    /// </summary>
    public int Open { get; init; } = 3000;

    /// <summary>
    /// Decisions per second across all callers, paced by a token bucket; 0 lets each caller call as fast as it is
    /// answered. With <see cref="Open"/> it sets how long a connection lives (open ÷ rate): a handshake flood turns
    /// connections over in milliseconds, real clients keep them for seconds to hours.
    /// </summary>
    public int Rate { get; init; }

    /// <summary>
    /// Close a connection chosen at random among those a caller holds, rather than its oldest: connections then live
    /// for random times (mean open ÷ rate), as clients' do, instead of all exactly as long.
    /// </summary>
    public bool RandomLifetimes { get; init; }

    /// <summary>How long the counts may take to settle after a run before it is reported as not exact.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Print calls per second every second while running.</summary>
    public bool ShowProgress { get; init; }
}
