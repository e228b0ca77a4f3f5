using System.Diagnostics;

namespace WsOrleans.Routing;

/// <summary>
/// What share of a pool's admissions one router (a silo's, or an edge's) makes, over the last second: its own count
/// against the pool's, as the backends' totals in successive views show it. Several routers decide from the same view,
/// each knowing only its own admissions since; one that counted only those would, like every other, fill the whole
/// gap it sees, and together they would fill it as many times as there are routers (a herd, and its echo when the
/// connections end together). Counting its own as 1 / share each, it fills its part of the gap. Alone, or on a pool
/// too quiet to tell (fewer than <see cref="MinimumSample"/> admissions in the window), its share is 1. Not
/// thread-safe: the router's lock covers it.
/// </summary>
internal sealed class AdmissionShare
{
    internal static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    internal const long MinimumSample = 100;

    // Below this a share is noise (or the router was idle): one of a hundred routers still counts its own at most 100 each.
    private const double SmallestShare = 0.01;

    private readonly Queue<(long At, long Own, long Pool)> _samples = new();

    /// <summary>This router's share of the pool's admissions in the window, between 0.01 and 1.</summary>
    public double Share { get; private set; } = 1;

    /// <summary>A view arrived: <paramref name="own"/> admissions made here so far, <paramref name="pool"/> in the whole pool by the view.</summary>
    public void Observe(long own, long pool)
    {
        var now = Stopwatch.GetTimestamp();
        while (_samples.Count > 1 && Stopwatch.GetElapsedTime(_samples.Peek().At, now) > Window)
        {
            _samples.Dequeue();
        }

        if (_samples.TryPeek(out var oldest) && pool < oldest.Pool)
        {
            // A backend grain started again (its totals with it): measure from here.
            _samples.Clear();
        }

        _samples.Enqueue((now, own, pool));
        var first = _samples.Peek();
        var poolAdmitted = pool - first.Pool;
        var ownAdmitted = own - first.Own;
        Share = poolAdmitted < MinimumSample ? 1 : Math.Clamp((double)ownAdmitted / poolAdmitted, SmallestShare, 1);
    }
}
