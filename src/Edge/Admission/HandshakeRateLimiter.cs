using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Admission;

/// <summary>
/// Per-edge rates per pool and client address, for handshakes and for plain requests apart: a
/// <see cref="TokenBucketRateLimiter"/> each, as nginx's <c>limit_req</c> keeps its zone per nginx instance.
/// A bucket is refilled when it is asked (no timer), and buckets that have refilled are dropped, so many
/// addresses cost memory only while they are busy.
/// </summary>
/// <remarks>
/// Not <see cref="PartitionedRateLimiter"/>: it takes one lock for every acquisition and refills every bucket
/// on a timer ten times a second, which under a flood of addresses is work in proportion to all of them.
/// </remarks>
internal sealed class HandshakeRateLimiter
{
    // Sweeping is amortised over handshakes: at most once per interval, by whichever handshake comes.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    // A limiter answers when to come back in whole refill periods of whole permits: a request takes a thousand
    // permits, refilled about every millisecond, so the answer is right to a thousandth of the wait.
    private const int PermitsPerRequest = 1000;

    private readonly ConcurrentDictionary<Bucket, TokenBucketRateLimiter> _buckets = new();
    private readonly TimeProvider _time;
    private long _lastSweep;

    public HandshakeRateLimiter(TimeProvider time)
    {
        _time = time;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>Takes one handshake (or plain request) from <paramref name="address"/>'s allowance; when there is none, says when to come back.</summary>
    public bool TryAcquire(string pool, string address, AdmissionSettings settings, bool handshake, out TimeSpan retryAfter)
    {
        SweepIfDue();
        var key = handshake
            ? new Bucket(pool, address, true, settings.HandshakesPerSecond, settings.HandshakeBurst)
            : new Bucket(pool, address, false, settings.RequestsPerSecond, settings.RequestBurst);
        var bucket = _buckets.GetOrAdd(key, static key => new TokenBucketRateLimiter(Options(key.Rate, key.Burst)));
        bucket.TryReplenish();
        using var lease = bucket.AttemptAcquire(PermitsPerRequest);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    private static TokenBucketRateLimiterOptions Options(double rate, int burst)
    {
        var permitsPerSecond = rate * PermitsPerRequest;
        var perRefill = Math.Max(1, (int)Math.Round(permitsPerSecond / 1000));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst) * PermitsPerRequest,
            TokensPerPeriod = perRefill,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perRefill / permitsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    private void SweepIfDue()
    {
        var last = Volatile.Read(ref _lastSweep);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(last, now) < SweepInterval || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            // Full again (idle): dropping it changes nothing. Not disposed: it holds no timer, and a request may hold it.
            bucket.TryReplenish();
            if (bucket.IdleDuration is not null)
            {
                _buckets.TryRemove(new KeyValuePair<Bucket, TokenBucketRateLimiter>(key, bucket));
            }
        }
    }

    /// <summary>A bucket's key: the rate and burst are part of it, so a pool's new admission settings start new buckets.</summary>
    private readonly record struct Bucket(string Pool, string Address, bool Handshake, double Rate, int Burst);
}
