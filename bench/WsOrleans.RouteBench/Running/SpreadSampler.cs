using System.Diagnostics;
using WsOrleans.Pools;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// Every few milliseconds while a window is measured, reads how the connections are spread over the pool's
/// backends (equal weights) two ways, and keeps the widest gap between the most and the least loaded seen:
/// the connections the callers hold (what the backends would carry), and the live counts the routing grain shows
/// (what the strategy balances on, read through its status). Also the mean live count per backend, which the
/// allowed spread is measured against, and the widest gap against the bound of its own moment (max(2, 2 % of the mean
/// then)), for runs whose load changes within the window.
/// </summary>
internal sealed class SpreadSampler(RouteCaller[] callers, int backends)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private long _maxSpread;
    private long _maxViewSpread;
    private double _maxSpreadToBound;
    private (double Seconds, long Spread, double Mean) _worstMoment;
    private double _liveSum;
    private int _samples;

    /// <summary>The widest gap in connections held.</summary>
    public long MaxSpread => _maxSpread;

    /// <summary>The widest gap in the routing grain's counts.</summary>
    public long MaxViewSpread => _maxViewSpread;

    /// <summary>The widest gap in connections held against the bound at that moment: over 1 is outside it.</summary>
    public double MaxSpreadToBound => _maxSpreadToBound;

    /// <summary>When that was (seconds into the window), the gap then and the mean live count per backend then.</summary>
    public (double Seconds, long Spread, double Mean) WorstMoment => _worstMoment;

    public double MeanLivePerBackend => _samples == 0 ? 0 : _liveSum / _samples;

    public int Samples => _samples;

    public async Task RunAsync(IPoolGrain pool, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var held = Enumerable.Range(0, backends).Select(i => (long)callers.Sum(c => c.Held(i))).ToArray();
                var spread = held.Max() - held.Min();
                var mean = held.Average();
                var toBound = spread / RunResult.BoundFor(mean);
                _maxSpread = Math.Max(_maxSpread, spread);
                if (toBound > _maxSpreadToBound)
                {
                    _maxSpreadToBound = toBound;
                    _worstMoment = (Stopwatch.GetElapsedTime(started).TotalSeconds, spread, mean);
                }

                _liveSum += mean;
                _samples++;
                if (await pool.GetStatus() is { Backends: { Length: > 0 } counted })
                {
                    var view = counted.Select(b => b.Connections).ToArray();
                    _maxViewSpread = Math.Max(_maxViewSpread, view.Max() - view.Min());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
