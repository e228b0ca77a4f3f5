using Microsoft.Extensions.Time.Testing;
using WsOrleans.Balancing;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class StickyStrategyTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Sticky_SameKey_SameBackendEvenWhenItBecomesBusiest()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b", "c");
        var bound = strategy.Pick("session-1", candidates);

        for (var i = 0; i < 20; i++)
        {
            bound.Live += 10;
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.Same(bound, strategy.Pick("session-1", candidates));
        }
    }

    [Fact]
    public void Sticky_UnboundKey_GoesToLeastLoadedAndBindsIt()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b", "c");
        candidates[0].Live = 3;
        candidates[2].Live = 3;

        Assert.Equal("b", strategy.Pick("session-1", candidates).Id);
        Assert.Equal(1, strategy.BindingCount);
    }

    [Fact]
    public void Sticky_TtlElapsedWithoutUse_RebindsToLeastLoaded()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b");
        Assert.Equal("a", strategy.Pick("session-1", candidates).Id);
        candidates[0].Live = 10;

        _time.Advance(Ttl);

        Assert.Equal("b", strategy.Pick("session-1", candidates).Id);
        Assert.Equal("b", strategy.Pick("session-1", candidates).Id);
    }

    [Fact]
    public void Sticky_UsedWithinTtl_StaysBoundPastTheOriginalTtl()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b");
        Assert.Equal("a", strategy.Pick("session-1", candidates).Id);
        candidates[0].Live = 10;

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(8));
            Assert.Equal("a", strategy.Pick("session-1", candidates).Id);
        }
    }

    [Fact]
    public void Sticky_BoundBackendNoLongerCandidate_RebindsAndStaysAfterItReturns()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var all = Backends.Named("a", "b", "c");
        Assert.Equal("a", strategy.Pick("session-1", all).Id);
        all[2].Live = 4;

        Assert.Equal("b", strategy.Pick("session-1", new[] { all[1], all[2] }).Id);

        all[1].Live = 50;
        Assert.Equal("b", strategy.Pick("session-1", all).Id);
        Assert.Equal(1, strategy.BindingCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Sticky_NoKey_LeastConnectionsWithoutBinding(string? key)
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b", "c");
        strategy.Pick("session-1", candidates);
        candidates[0].Live = 2;
        candidates[1].Live = 1;
        candidates[2].Live = 2;

        Assert.Equal("b", strategy.Pick(key, candidates).Id);
        Assert.Equal(1, strategy.BindingCount);
    }

    [Fact]
    public void Sticky_PickAfterSweepInterval_DropsExpiredBindings()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b");
        for (var i = 0; i < 100; i++)
        {
            strategy.Pick($"session-{i}", candidates);
        }

        Assert.Equal(100, strategy.BindingCount);
        _time.Advance(Ttl);
        strategy.Pick("session-new", candidates);

        Assert.Equal(1, strategy.BindingCount);
    }

    [Fact]
    public void Sticky_PickBeforeSweepIsDue_KeepsExpiredBindingsUntilTheSweep()
    {
        // A 10-minute TTL sweeps at most once a minute.
        var strategy = new StickyStrategy(Ttl, _time);
        var candidates = Backends.Named("a", "b");
        strategy.Pick("session-old", candidates);

        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        strategy.Pick("session-new", candidates);
        _time.Advance(TimeSpan.FromSeconds(2));
        strategy.Pick("session-new", candidates);

        // session-old expired at 10:00 but the last sweep ran at 9:59; the next is due at 10:59.
        Assert.Equal(2, strategy.BindingCount);
        _time.Advance(TimeSpan.FromSeconds(58));
        strategy.Pick("session-new", candidates);
        Assert.Equal(1, strategy.BindingCount);
    }

    [Fact]
    public void Sticky_Name_IsSticky()
    {
        Assert.Equal(StrategyNames.Sticky, new StickyStrategy(Ttl, _time).Name);
    }

    [Fact]
    public void Sticky_BoundKeyHit_AllocatesNothing()
    {
        var strategy = new StickyStrategy(Ttl, _time);
        IReadOnlyList<BackendEntry> candidates = Backends.Named("a", "b", "c");
        strategy.Pick("session-1", candidates);

        var allocated = Backends.AllocatedBy(() => strategy.Pick("session-1", candidates));

        Assert.Equal(0, allocated);
    }
}
