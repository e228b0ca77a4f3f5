using HdrHistogram;
using System.Globalization;
using System.Runtime;
using System.Text.Encodings.Web;
using System.Text.Json;
using WsOrleans.RouteBench.Running;

namespace WsOrleans.RouteBench.Reporting;

/// <summary>Writes one run as one flat JSON object on one line of stdout, so <c>jq .decisionsPerSecond</c> reads it.</summary>
internal static class ResultJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, Options))
        {
            json.WriteStartObject();
            json.WriteString("command", "route");
            json.WriteString("mode", run.Mode);
            json.WriteString("routing", run.Routing);
            json.WriteNumber("silos", run.Silos);
            json.WriteNumber("edgesPerSilo", run.EdgesPerSilo);
            json.WriteNumber("routers", run.Routers);
            json.WriteString("strategy", run.Strategy);
            json.WriteNumber("concurrency", run.Concurrency);
            json.WriteNumber("backends", run.Backends);
            json.WriteNumber("open", run.Open);
            json.WriteNumber("rate", run.Rate);
            json.WriteBoolean("randomLifetimes", run.RandomLifetimes);
            json.WriteString("edgeTraffic", run.EdgeTraffic);
            json.WriteNumber("connectionLifetimeMs", Math.Round(run.ConnectionLifetime.TotalMilliseconds, 1));
            json.WriteNumber("warmupSeconds", Math.Round(run.WarmupSeconds, 3));
            json.WriteNumber("durationSeconds", Math.Round(run.DurationSeconds, 3));
            json.WriteNumber("decisions", run.Decisions);
            if (run.Refused == 0)
            {
                json.WriteNumber("decisionsPerSecond", Math.Round(run.DecisionsPerSecond, 1));
            }
            else
            {
                // Refusing is cheap: the rate of a run that refused is not a routing rate.
                json.WriteNull("decisionsPerSecond");
            }

            json.WriteNumber("refused", run.Refused);
            WriteLatency(json, run);
            json.WriteNumber("errors", run.Errors);
            json.WriteStartObject("errorKinds");
            foreach (var (kind, count) in run.ErrorKinds)
            {
                json.WriteNumber(kind, count);
            }

            json.WriteEndObject();
            var window = run.Window;
            json.WriteNumber("cpuSeconds", Math.Round(window.Cpu.TotalSeconds, 3));
            json.WriteNumber("cpuUsPerDecision", PerDecision(run, window.Cpu.TotalSeconds * 1e6, 2));
            json.WriteNumber("otherCpuSeconds", Math.Round(run.OtherCpuSeconds, 2));
            json.WriteNumber("allocatedBytesPerDecision", PerDecision(run, window.AllocatedBytes, 0));
            json.WriteNumber("gen0Collections", window.Gen0);
            json.WriteNumber("gen1Collections", window.Gen1);
            json.WriteNumber("gen2Collections", window.Gen2);
            json.WriteNumber("gcPauseSeconds", Math.Round(window.GcPause.TotalSeconds, 3));
            json.WriteNumber("jitCompiledInWindow", window.JitCompiled);
            json.WriteNumber("gatewayMessagesPerDecision", PerDecision(run, window.GatewayMessages, 3));
            json.WriteStartObject("routesByBackend");
            foreach (var (id, count) in run.RoutesByBackend)
            {
                json.WriteNumber(id, count);
            }

            json.WriteEndObject();
            json.WriteBoolean("countsExact", run.CountsExact);
            json.WriteNumber("maxSpread", run.MaxSpread);
            json.WriteNumber("maxViewSpread", run.MaxViewSpread);
            json.WriteNumber("meanLivePerBackend", Math.Round(run.MeanLivePerBackend, 1));
            json.WriteNumber("spreadBound", Math.Round(run.SpreadBound, 1));
            json.WriteNumber("maxSpreadToBound", Math.Round(run.MaxSpreadToBound, 2));
            json.WriteStartObject("worstMoment");
            json.WriteNumber("seconds", Math.Round(run.WorstMoment.Seconds, 2));
            json.WriteNumber("spread", run.WorstMoment.Spread);
            json.WriteNumber("meanLivePerBackend", Math.Round(run.WorstMoment.Mean, 1));
            json.WriteEndObject();
            json.WriteNumber("spreadSamples", run.SpreadSamples);
            if (run.PoolGrainBusy is { } busy && run.PoolGrainUsPerDecision is { } perDecision)
            {
                json.WriteNumber("poolGrainBusy", Math.Round(busy, 3));
                json.WriteNumber("poolGrainUsPerDecision", Math.Round(perDecision, 3));
            }
            else
            {
                json.WriteNull("poolGrainBusy");
                json.WriteNull("poolGrainUsPerDecision");
            }

            json.WriteNumber("settleSeconds", Math.Round(run.SettleSeconds, 3));
            json.WriteNumber("liveAfterRelease", run.CountsSeen.Live);
            json.WriteNumber("totalAfterRelease", run.CountsSeen.Total);
            json.WriteNumber("totalRouted", run.CountsSeen.Expected);
            json.WriteBoolean("serverGc", GCSettings.IsServerGC);
            json.WriteNumber("processors", Environment.ProcessorCount);
            json.WriteEndObject();
        }

        stdout.Write("\n"u8);
        stdout.Flush();
    }

    private static void WriteLatency(Utf8JsonWriter json, RunResult run)
    {
        var histogram = run.Latency;
        foreach (var percentile in (double[])[50, 90, 99, 99.9])
        {
            var name = $"latencyP{percentile.ToString(CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal)}Us";
            if (histogram.TotalCount == 0)
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteNumber(name, histogram.GetValueAtPercentile(percentile));
            }
        }

        if (histogram.TotalCount == 0)
        {
            json.WriteNull("latencyMaxUs");
            json.WriteNull("latencyMeanUs");
        }
        else
        {
            json.WriteNumber("latencyMaxUs", histogram.GetMaxValue());
            json.WriteNumber("latencyMeanUs", Math.Round(histogram.GetMean(), 1));
        }
    }

    private static double PerDecision(RunResult run, double value, int digits) =>
        run.Decisions > 0 ? Math.Round(value / run.Decisions, digits) : 0;
}
