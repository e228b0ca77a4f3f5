using WsOrleans.Bench.Reporting;
using WsOrleans.RouteBench.Cluster;
using WsOrleans.RouteBench.Reporting;
using WsOrleans.RouteBench.Running;

namespace WsOrleans.RouteBench;

/// <summary>
/// Runs every silos × mode × strategy × concurrency combination: one fresh cluster per silo count and mode with one pool per
/// strategy, one JSON line per run on stdout, and the table of all of them on stderr at the end.
/// </summary>
internal static class RouteBenchRunner
{
    /// <summary>The run completed and every count settled exactly.</summary>
    public const int Success = 0;

    /// <summary>The cluster could not start.</summary>
    public const int SetupFailed = 2;

    /// <summary>The run completed, but some run had errors, refusals or counts that did not settle.</summary>
    public const int Degraded = 3;

    public static async Task<int> RunAsync(RouteBenchSettings settings, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var gateway = new GatewayTraffic();
        var turns = new TurnTimer(settings.TimeTurns);
        var results = new List<RunResult>();
        foreach (var (silos, mode) in settings.Silos.SelectMany(silos => settings.Modes.Select(mode => (silos, mode))))
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            var pools = settings.Strategies.Select(strategy => new BenchPool(strategy, settings.Backends)).ToList();
            Progress.Write($"{mode}: starting a cluster of {silos} silo(s)");
            BenchCluster cluster;
            try
            {
                cluster = await BenchCluster.StartAsync(mode, silos, [.. pools.Select(p => p.Definition)], turns, stop);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Progress.Write($"{mode}: the cluster did not start: {e.Message}");
                return SetupFailed;
            }

            await using (cluster)
            using (new PoolsInUse(pools))
            {
                foreach (var (pool, routing) in pools.SelectMany(pool => settings.Routing.Select(routing => (pool, routing))))
                {
                    var run = new RouteRun(cluster, pool, routing, gateway, turns, settings);
                    await run.WarmUpJitAsync(settings.Concurrency.Max(), stop);
                    foreach (var concurrency in settings.Concurrency)
                    {
                        if (stop.IsCancellationRequested)
                        {
                            break;
                        }

                        var result = await run.MeasureAsync(concurrency, stop);
                        ResultJson.Write(result);
                        Progress.Write($"  {result.DecisionsPerSecond:N0} decisions/s, p50 {Percentile(result, 50)} µs, p99 {Percentile(result, 99)} µs, "
                            + $"{result.Errors} errors, {result.Refused} refused, {result.Routers} router(s), spread {result.MaxSpread}, counts {(result.CountsExact ? "exact" : "NOT exact")}");
                        results.Add(result);
                    }
                }
            }
        }

        Console.Error.WriteLine();
        Console.Error.Write(ResultTable.Format(results));
        return results.All(r => r.Errors == 0 && r.Refused == 0 && r.CountsExact) ? Success : Degraded;
    }

    /// <summary>Stops the pools' edges once their cluster is gone.</summary>
    private sealed class PoolsInUse(List<BenchPool> pools) : IDisposable
    {
        public void Dispose() => pools.ForEach(pool => pool.Dispose());
    }

    private static string Percentile(RunResult result, double percentile) =>
        result.Latency.TotalCount == 0 ? "-" : result.Latency.GetValueAtPercentile(percentile).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
