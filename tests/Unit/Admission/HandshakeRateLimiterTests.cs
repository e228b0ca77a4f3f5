using WsOrleans.Edge.Admission;
using WsOrleans.Pools;

namespace WsOrleans.Tests.Unit.Admission;

public sealed class HandshakeRateLimiterTests
{
    private readonly HandshakeRateLimiter _limiter = new(TimeProvider.System);

    [Fact]
    public void TryAcquire_BurstThenEmpty_SaysWhenTheNextTokenComes()
    {
        // One token per 100 s: nothing refills while the test runs.
        var settings = new AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 3 };

        for (var i = 0; i < 3; i++)
        {
            Assert.True(Take(settings));
        }

        var retryAfter = RetryAfter(settings);
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task TryAcquire_WhileRefused_RetryAfterCountsDownToTheNextToken_ThenAdmits()
    {
        var settings = new AdmissionSettings { HandshakesPerSecond = 1, HandshakeBurst = 1 };
        Assert.True(Take(settings));

        // Not a whole token's time each refusal: the part of it still to come.
        await Eventually.Until(
            () => Task.FromResult(RetryAfter(settings)),
            wait => wait < TimeSpan.FromSeconds(0.5),
            "a refusal saying the next token is less than half a second away");
        await Eventually.Until(
            () => Task.FromResult(Take(settings)),
            admitted => admitted,
            "the next token, a second after the last");
    }

    [Fact]
    public void TryAcquire_OneAddressEmptied_OthersStillAdmitted()
    {
        var settings = new AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 1 };

        Assert.True(Take(settings));
        Assert.False(Take(settings));
        Assert.True(Take(settings, "10.0.0.2"));
        Assert.True(Take(settings, pool: "other"));
    }

    [Fact]
    public void TryAcquire_PlainRequestsAndHandshakes_HaveBucketsOfTheirOwn()
    {
        var settings = new AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 1, RequestsPerSecond = 0.01, RequestBurst = 2 };

        Assert.True(Take(settings));
        Assert.True(Take(settings, handshake: false));
        Assert.True(Take(settings, handshake: false));
        Assert.False(Take(settings, handshake: false));
        Assert.False(Take(settings));
    }

    [Fact]
    public void TryAcquire_PoolsNewSettings_StartANewBucket()
    {
        var before = new AdmissionSettings { HandshakesPerSecond = 0.01, HandshakeBurst = 1 };
        Assert.True(Take(before));
        Assert.False(Take(before));

        Assert.True(Take(before with { HandshakeBurst = 2 }));
    }

    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(1_000_000, 1_000_000)]
    public void TryAcquire_TheConfigurableExtremes_Work(double rate, int burst)
    {
        var settings = new AdmissionSettings { HandshakesPerSecond = rate, HandshakeBurst = burst };

        Assert.True(Take(settings));
    }

    /// <summary>Null when admitted; otherwise the wait the refusal names.</summary>
    private TimeSpan? RetryAfter(AdmissionSettings settings) =>
        _limiter.TryAcquire("p", "10.0.0.1", settings, handshake: true, out var wait) ? null : wait;

    private bool Take(AdmissionSettings settings, string address = "10.0.0.1", string pool = "p", bool handshake = true) =>
        _limiter.TryAcquire(pool, address, settings, handshake, out _);
}
