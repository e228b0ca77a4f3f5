using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Routing;

/// <summary>A router's share of its pool's admissions, by which it counts its own not yet in the view.</summary>
public sealed class AdmissionShareTests
{
    [Fact]
    public void Alone_ShareIsOne()
    {
        var share = new AdmissionShare();
        share.Observe(own: 0, pool: 0);
        share.Observe(own: 500, pool: 480);

        Assert.Equal(1, share.Share);
    }

    [Fact]
    public void OneOfFourEqualRouters_ShareIsAQuarter()
    {
        var share = new AdmissionShare();
        share.Observe(own: 1_000, pool: 10_000);
        share.Observe(own: 1_250, pool: 11_000);

        Assert.Equal(0.25, share.Share);
    }

    [Fact]
    public void TooQuietToTell_ShareIsOne()
    {
        var share = new AdmissionShare();
        share.Observe(own: 0, pool: 0);
        share.Observe(own: 1, pool: AdmissionShare.MinimumSample - 1);

        Assert.Equal(1, share.Share);
    }

    [Fact]
    public void IdleWhileOthersAdmit_ShareIsTheSmallest_NotZero()
    {
        var share = new AdmissionShare();
        share.Observe(own: 7, pool: 0);
        share.Observe(own: 7, pool: 5_000);

        Assert.Equal(0.01, share.Share);
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
