using System.Globalization;
using System.Text;
using WsOrleans.RouteBench.Running;

namespace WsOrleans.RouteBench.Reporting;

/// <summary>The runs as one small table on stderr, for people; the JSON on stdout is for tools.</summary>
internal static class ResultTable
{
    public static string Format(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder();
        text.AppendLine("mode      routing silos routers strategy          callers  decisions/s   p50 µs   p99 µs  p99.9 µs  errors  cpu µs/decision  others' cpu  pool grain busy  µs/decision  spread (bound) / view  lifetime  counts");
        foreach (var run in runs)
        {
            var cpuPerDecision = run.Decisions > 0 ? run.Window.Cpu.TotalSeconds * 1e6 / run.Decisions : 0;

            // The share of the machine's cores other processes took while this run was measured.
            var others = run.DurationSeconds > 0 ? run.OtherCpuSeconds / (run.DurationSeconds * Environment.ProcessorCount) : 0;
            var counts = run.CountsExact
                ? "exact"
                : $"OFF: live {run.CountsSeen.Live}, total {run.CountsSeen.Total} of {run.CountsSeen.Expected}";
            // A refusal is cheaper than a decision: a run that refused measured something else, and gets no rate.
            var rate = run.Refused > 0 ? "refused" : run.DecisionsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Mode,-9} {run.Routing,-7} {run.Silos,5} {run.Routers,7} {run.Strategy,-16} {run.Concurrency,8} {rate,12} "
                + $"{Percentile(run, 50),8} {Percentile(run, 99),8} {Percentile(run, 99.9),9} "
                + $"{run.Errors + run.Refused,7} {cpuPerDecision,16:F1} {others,12:P0} {Busy(run),15} {Turn(run),12} {Spread(run),22} {Lifetime(run),9}  {counts}"));
        }

        return text.ToString();
    }

    private static string Busy(RunResult run) => run.PoolGrainBusy is { } busy ? busy.ToString("P0", CultureInfo.InvariantCulture) : "-";

    private static string Turn(RunResult run) => run.PoolGrainUsPerDecision is { } perDecision ? perDecision.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Spread(RunResult run) => string.Create(CultureInfo.InvariantCulture, $"{run.MaxSpread} ({run.SpreadBound:0.#}) / {run.MaxViewSpread}");

    private static string Lifetime(RunResult run) =>
        run.ConnectionLifetime >= TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{run.ConnectionLifetime.TotalSeconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{run.ConnectionLifetime.TotalMilliseconds:0.#} ms");

    private static string Percentile(RunResult run, double percentile) =>
        run.Latency.TotalCount == 0 ? "-" : run.Latency.GetValueAtPercentile(percentile).ToString(CultureInfo.InvariantCulture);
}
