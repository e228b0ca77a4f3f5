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
        text.AppendLine("mode      strategy          callers  decisions/s   p50 µs   p99 µs  p99.9 µs  errors  cpu µs/decision  others' cpu  counts");
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
                $"{run.Mode,-9} {run.Strategy,-16} {run.Concurrency,8} {rate,12} "
                + $"{Percentile(run, 50),8} {Percentile(run, 99),8} {Percentile(run, 99.9),9} "
                + $"{run.Errors + run.Refused,7} {cpuPerDecision,16:F1} {others,12:P0}  {counts}"));
        }

        return text.ToString();
    }

    private static string Percentile(RunResult run, double percentile) =>
        run.Latency.TotalCount == 0 ? "-" : run.Latency.GetValueAtPercentile(percentile).ToString(CultureInfo.InvariantCulture);
}
