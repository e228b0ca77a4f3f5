using System.Diagnostics;
using HdrHistogram;

namespace WsOrleans.Bench.Metrics;

/// <summary>
/// Records latencies in microseconds into one <see cref="LongHistogram"/> per thread, so the hot path takes no
/// lock and shares no cache line; <see cref="Snapshot"/> merges them once the recording threads are done.
/// </summary>
internal sealed class LatencyRecorder : IDisposable
{
    /// <summary>One hour; longer latencies are recorded as one hour.</summary>
    private const long HighestMicroseconds = 3_600_000_000;

    private const int SignificantDigits = 3;

    private readonly ThreadLocal<LongHistogram> _histograms = new(Create, trackAllValues: true);

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public void Record(long startTimestamp, long endTimestamp) =>
        _histograms.Value!.RecordValue(Math.Clamp((endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency, 0, HighestMicroseconds));

    /// <summary>All values recorded so far, merged. Call it once the recording has stopped.</summary>
    public LongHistogram Snapshot()
    {
        var merged = Create();
        foreach (var histogram in _histograms.Values)
        {
            merged.Add(histogram);
        }

        return merged;
    }

    public void Dispose() => _histograms.Dispose();

    private static LongHistogram Create() => new(HighestMicroseconds, SignificantDigits);
}
