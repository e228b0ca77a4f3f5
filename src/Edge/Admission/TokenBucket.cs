using System.Diagnostics;

namespace WsOrleans.Edge.Admission;

/// <summary>
/// One client address's handshake allowance on this edge: <c>burst</c> tokens, refilled at <c>rate</c> per
/// second (nginx's <c>limit_req ... burst=N nodelay</c>). Refilled lazily when it is asked, so an idle bucket costs nothing.
/// </summary>
internal sealed class TokenBucket(double rate, int burst)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _updated = Stopwatch.GetTimestamp();

    /// <summary>When the bucket was last asked (a <see cref="Stopwatch"/> timestamp), so idle buckets can be dropped.</summary>
    public long LastUsed => Volatile.Read(ref _updated);

    /// <summary>Takes a token; when there is none, says how long until there is one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_updated, now).TotalSeconds * rate));
            Volatile.Write(ref _updated, now);
            if (_tokens >= 1)
            {
                _tokens--;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / rate);
            return false;
        }
    }

    /// <summary>Whether the bucket has been idle long enough to be full again (dropping it changes nothing).</summary>
    public bool IsFullAt(long now) => Stopwatch.GetElapsedTime(LastUsed, now).TotalSeconds * rate >= burst;
}
