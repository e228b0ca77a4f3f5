using System.Diagnostics;

namespace WsOrleans.Bench.Metrics;

/// <summary>
/// The timeline of a timed run in <see cref="Stopwatch"/> timestamps: warm-up from now, then the measured window.
/// Workers compare timestamps against it, so the hot path never waits on a timer.
/// </summary>
internal sealed class RunClock
{
    private long _end;

    public RunClock(TimeSpan warmup, TimeSpan duration)
    {
        Start = Stopwatch.GetTimestamp();
        MeasureStart = Start + ToTimestampTicks(warmup);
        _end = MeasureStart + ToTimestampTicks(duration);
    }

    public long Start { get; }

    /// <summary>Where the measured window starts: results completed from here on count.</summary>
    public long MeasureStart { get; }

    /// <summary>Where the measured window ends; workers start nothing new from here on.</summary>
    public long End => Volatile.Read(ref _end);

    /// <summary>How long the measured window was (or is, so far); zero when the run stopped during the warm-up.</summary>
    public double MeasuredSeconds =>
        Math.Max(0, Math.Min(End, Stopwatch.GetTimestamp()) - MeasureStart) / (double)Stopwatch.Frequency;

    public bool IsMeasured(long timestamp) => timestamp >= MeasureStart && timestamp < End;

    /// <summary>Ends the run now (on a signal): the measured window is cut short, not thrown away.</summary>
    public void StopNow()
    {
        var now = Stopwatch.GetTimestamp();
        long end;
        do
        {
            end = Volatile.Read(ref _end);
        }
        while (now < end && Interlocked.CompareExchange(ref _end, now, end) != end);
    }

    /// <summary>Waits until <paramref name="timestamp"/> or until <see cref="StopNow"/> moved the end before it.</summary>
    public async Task WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        while (true)
        {
            var target = Math.Min(timestamp, End);
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), target);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await Task.Delay(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                StopNow();
                return;
            }
        }
    }

    private static long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
