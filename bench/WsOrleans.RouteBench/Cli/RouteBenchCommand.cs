using System.Collections.Immutable;
using System.CommandLine;
using WsOrleans.Bench.Cli;
using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Cli;

/// <summary>The command line: which modes, strategies and concurrency levels to run, and for how long.</summary>
internal static class RouteBenchCommand
{
    /// <summary>The strategies that decide without a request key; the others would fall back to least connections.</summary>
    private static readonly string[] KeylessStrategies = [StrategyNames.LeastConnections, StrategyNames.RoundRobin];

    public static RootCommand Create()
    {
        var defaults = new RouteBenchSettings { Modes = [], Strategies = [], Concurrency = [] };
        var modes = new Option<ImmutableArray<string>>("--mode")
        {
            Description = "cohosted (callers in the silo's process, its own grain factory), loopback (an Orleans client over TCP "
                + "to the silo's gateway), or both, comma-separated.",
            DefaultValueFactory = _ => [.. BenchModes.All],
            CustomParser = ListParsers.Names(BenchModes.All),
        };
        var strategies = new Option<ImmutableArray<string>>("--strategy")
        {
            Description = "The pool's balancing strategy: LeastConnections, RoundRobin, or both, comma-separated; one pool each.",
            DefaultValueFactory = _ => [StrategyNames.LeastConnections],
            CustomParser = ListParsers.Names(KeylessStrategies),
        };
        var concurrency = new Option<ImmutableArray<int>>("--concurrency")
        {
            Description = "Concurrent callers, each a closed loop of Route calls; comma-separated for several runs.",
            DefaultValueFactory = _ => [1, 16, 64, 256],
            CustomParser = ListParsers.Ints(1, 100_000),
        };
        var silos = new Option<ImmutableArray<int>>("--silos")
        {
            Description = "Silos in the cluster, comma-separated for several clusters; callers spread evenly over them (their "
                + "grain factories co-hosted, their gateways in loopback).",
            DefaultValueFactory = _ => defaults.Silos,
            CustomParser = ListParsers.Ints(1, 8),
        };
        var edges = new Option<int>("--edges")
        {
            Description = "Benchmark edges per silo (or gateway), the callers spread evenly over them: with --routing edge, each one decides.",
            DefaultValueFactory = _ => defaults.EdgesPerSilo,
            CustomParser = ValueParsers.IntInRange(1, 64),
        };
        var edgeTraffic = new Option<string>("--edge-traffic")
        {
            Description = "How the callers spread over the benchmark edges: even; uneven (half on the first edge, the rest over the "
                + "others); shift (uneven, then at the middle of the measured window the first edge's callers all move to the second); "
                + "surge (even, but only the first edge's callers route, at their part of --rate, until the middle of the measured window).",
            DefaultValueFactory = _ => defaults.EdgeTraffic,
        };
        edgeTraffic.AcceptOnlyFromAmong([.. EdgeTraffics.All]);
        var routing = new Option<ImmutableArray<string>>("--routing")
        {
            Description = "What decides: edge (each benchmark edge by itself, as edges route by default), router (the pool's router "
                + "on the silo that receives the call), pool (the pool grain's one activation, the baseline), comma-separated; one run each.",
            DefaultValueFactory = _ => defaults.Routing,
            CustomParser = ListParsers.Names(BenchRouting.All),
        };
        var timeTurns = new Option<bool>("--time-turns")
        {
            Description = "Time the routing grain's Route turns with an incoming call filter (router busy, turn µs).",
            DefaultValueFactory = _ => defaults.TimeTurns,
        };
        var backends = new Option<int>("--backends")
        {
            Description = "Backends in the pool.",
            DefaultValueFactory = _ => defaults.Backends,
            CustomParser = ValueParsers.IntInRange(1, 1000),
        };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "The measured window of each run.",
            DefaultValueFactory = _ => defaults.Duration,
            CustomParser = ValueParsers.PositiveDuration,
            HelpName = "duration",
        };
        var warmup = new Option<TimeSpan>("--warmup")
        {
            Description = "Calls before each measured window, not counted.",
            DefaultValueFactory = _ => defaults.Warmup,
            CustomParser = ValueParsers.Duration,
            HelpName = "duration",
        };
        var open = new Option<int>("--open")
        {
            Description = "Connections held open across all callers; each new route beyond a caller's share closes one, its oldest "
                + "unless --random-lifetimes (released as an edge does). 0 releases each connection as soon as it is routed.",
            DefaultValueFactory = _ => defaults.Open,
            CustomParser = ValueParsers.IntInRange(0, 10_000_000),
        };
        var rate = new Option<int>("--rate")
        {
            Description = "Decisions per second across all callers (a token bucket paces them); 0 calls as fast as answered. "
                + "With --open it sets how long a connection lives: open / rate seconds.",
            DefaultValueFactory = _ => defaults.Rate,
            CustomParser = ValueParsers.IntInRange(0, 10_000_000),
        };
        var randomLifetimes = new Option<bool>("--random-lifetimes")
        {
            Description = "Close a random held connection for each new one, not the oldest: connections live random times "
                + "(mean open / rate) instead of all the same.",
        };
        var progress = new Option<bool>("--progress")
        {
            Description = "Print calls per second every second.",
        };

        var command = new RootCommand("Routing decisions per second through one WsOrleans pool grain, and the latency of each "
            + "Route call. Prints one JSON object per run on stdout and a table on stderr.")
        {
            modes, silos, edges, edgeTraffic, routing, strategies, concurrency, backends, timeTurns, duration, warmup, open, rate, randomLifetimes, progress,
        };
        command.SetAction((result, cancellationToken) => RouteBenchRunner.RunAsync(
            defaults with
            {
                Modes = result.GetValue(modes),
                Silos = result.GetValue(silos),
                EdgesPerSilo = result.GetValue(edges),
                EdgeTraffic = result.GetValue(edgeTraffic)!,
                Routing = result.GetValue(routing),
                TimeTurns = result.GetValue(timeTurns),
                Strategies = result.GetValue(strategies),
                Concurrency = result.GetValue(concurrency),
                Backends = result.GetValue(backends),
                Duration = result.GetValue(duration),
                Warmup = result.GetValue(warmup),
                Open = result.GetValue(open),
                Rate = result.GetValue(rate),
                RandomLifetimes = result.GetValue(randomLifetimes),
                ShowProgress = result.GetValue(progress),
            },
            cancellationToken));
        return command;
    }
}
