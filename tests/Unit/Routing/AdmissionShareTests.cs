using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Routing;

/// <summary>A router's share of its pool's admissions, by which it counts its own not yet in the view.</summary>
public sealed class AdmissionShareTests
{
    /// <summary>Two views: this router's admissions so far and the pool's by each, and the share that makes.</summary>
    [Theory]
    [InlineData("alone (its own count runs ahead of the view's)", 0, 0, 500, 480, 1.0)]
    [InlineData("one of four equal routers", 1_000, 10_000, 1_250, 11_000, 0.25)]
    [InlineData("a pool too quiet to tell", 0, 0, 1, AdmissionShare.MinimumSample - 1, 1.0)]
    [InlineData("idle while others admit: the smallest share, not zero", 7, 0, 7, 5_000, 0.01)]
    public void Share_IsOwnAdmissionsOverThePools(string because, long ownBefore, long poolBefore, long own, long pool, double expected)
    {
        var share = new AdmissionShare();
        share.Observe(ownBefore, poolBefore);
        share.Observe(own, pool);

        Assert.True(expected == share.Share, $"{because}: expected {expected}, got {share.Share}");
    }

    [Fact]
    public void PoolTotalsFellBack_ABackendGrainStartedAgain_MeasuredAnewFromThere()
    {
        var share = new AdmissionShare();
        share.Observe(own: 0, pool: 10_000);
        share.Observe(own: 100, pool: 10_400);
        Assert.Equal(0.25, share.Share);

        share.Observe(own: 150, pool: 50);

        Assert.Equal(1, share.Share);
    }
}
