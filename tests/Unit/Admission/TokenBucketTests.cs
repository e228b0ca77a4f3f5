using WsOrleans.Edge.Admission;

namespace WsOrleans.Tests.Unit.Admission;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstThenEmpty_SaysWhenTheNextTokenComes()
    {
        // One token per 100 s: nothing refills while the test runs.
        var bucket = new TokenBucket(rate: 0.01, burst: 3);

        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
    }

    [Fact]
    public void TryAcquire_OneAddressEmptied_OthersStillAdmitted()
    {
        var limiter = new HandshakeRateLimiter();
        var settings = new WsOrleans.Pools.AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 1 };

        Assert.True(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: true, out _));
        Assert.False(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: true, out _));
        Assert.True(limiter.TryAcquire("p", "10.0.0.2", settings, handshake: true, out _));
        Assert.True(limiter.TryAcquire("other", "10.0.0.1", settings, handshake: true, out _));
    }

    [Fact]
    public void TryAcquire_PlainRequestsAndHandshakes_HaveBucketsOfTheirOwn()
    {
        var limiter = new HandshakeRateLimiter();
        var settings = new WsOrleans.Pools.AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 1, RequestsPerSecond = 0.01, RequestBurst = 2 };

        Assert.True(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: true, out _));
        Assert.True(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: false, out _));
        Assert.True(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: false, out _));
        Assert.False(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: false, out _));
        Assert.False(limiter.TryAcquire("p", "10.0.0.1", settings, handshake: true, out _));
    }
}
