using System.Collections.Concurrent;
using System.Diagnostics;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Admission;

/// <summary>
/// Per-edge rates per pool and client address, for handshakes and for plain requests apart: a token bucket
/// each, as nginx's <c>limit_req</c> keeps its zone per nginx instance. Buckets that have refilled are
/// dropped, so many addresses cost memory only while they are busy.
/// </summary>
internal sealed class HandshakeRateLimiter
{
    // Sweeping is amortised over handshakes: at most once per interval, by whichever handshake comes.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Pool, string Address, bool Handshake, double Rate, int Burst), TokenBucket> _buckets = new();
    private long _nextSweep = Stopwatch.GetTimestamp() + (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The number of buckets held now.</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes one handshake (or plain request) from <paramref name="address"/>'s allowance; when there is none, says when to come back.</summary>
    public bool TryAcquire(string pool, string address, AdmissionSettings settings, bool handshake, out TimeSpan retryAfter)
    {
        SweepIfDue();
        var key = handshake
            ? (pool, address, true, settings.HandshakesPerSecond, settings.HandshakeBurst)
            : (pool, address, false, settings.RequestsPerSecond, settings.RequestBurst);
        var bucket = _buckets.GetOrAdd(key, static key => new TokenBucket(key.Rate, key.Burst));
        return bucket.TryTake(out retryAfter);
    }

    private void SweepIfDue()
    {
        var now = Stopwatch.GetTimestamp();
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency), due) != due)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFullAt(now))
            {
                _buckets.TryRemove(new KeyValuePair<(string, string, bool, double, int), TokenBucket>(key, bucket));
            }
        }
    }
}
