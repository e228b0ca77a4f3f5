using WsOrleans.Balancing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class AffinityTableTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGet_UnknownKey_ReturnsFalse()
    {
        var table = new AffinityTable(Ttl);

        Assert.False(table.TryGet("k", Start, out _));
    }

    [Fact]
    public void TryGet_BoundAndNotExpired_ReturnsBackend()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("k", "a", Start);

        Assert.True(table.TryGet("k", Start + Ttl - TimeSpan.FromTicks(1), out var backendId));
        Assert.Equal("a", backendId);
    }

    [Fact]
    public void TryGet_TtlElapsedWithoutUse_ReturnsFalse()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("k", "a", Start);

        Assert.False(table.TryGet("k", Start + Ttl, out _));
    }

    [Fact]
    public void TryGet_Hit_SlidesExpiry()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("k", "a", Start);
        var step = TimeSpan.FromMinutes(8);

        Assert.True(table.TryGet("k", Start + step, out _));
        Assert.True(table.TryGet("k", Start + (2 * step), out _));
        Assert.True(table.TryGet("k", Start + (3 * step), out var backendId));
        Assert.Equal("a", backendId);
        Assert.False(table.TryGet("k", Start + (3 * step) + Ttl, out _));
    }

    [Fact]
    public void Bind_BoundKey_ReplacesBackendAndExpiry()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("k", "a", Start);
        table.Bind("k", "b", Start + TimeSpan.FromMinutes(5));

        Assert.True(table.TryGet("k", Start + TimeSpan.FromMinutes(12), out var backendId));
        Assert.Equal("b", backendId);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Sweep_SomeExpired_RemovesOnlyThemAndCountsThem()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("old-1", "a", Start);
        table.Bind("old-2", "b", Start + TimeSpan.FromMinutes(1));
        table.Bind("fresh", "a", Start + TimeSpan.FromMinutes(5));

        var removed = table.Sweep(Start + TimeSpan.FromMinutes(11));

        Assert.Equal(2, removed);
        Assert.Equal(1, table.Count);
        Assert.True(table.TryGet("fresh", Start + TimeSpan.FromMinutes(11), out _));
    }

    [Fact]
    public void Sweep_NothingExpired_RemovesNothing()
    {
        var table = new AffinityTable(Ttl);
        table.Bind("k", "a", Start);

        Assert.Equal(0, table.Sweep(Start + TimeSpan.FromMinutes(9)));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Constructor_NonPositiveTtl_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AffinityTable(TimeSpan.Zero));
    }
}
