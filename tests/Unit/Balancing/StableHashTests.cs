// Orleans has its own public StableHash; this is ours.
using StableHash = WsOrleans.Balancing.StableHash;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class StableHashTests
{
    // Computed independently (Python: FNV-1a 64 over the UTF-16LE bytes, then splitmix64's finalizer).
    private const ulong PinnedEmpty = 0xF52A15E9A9B5E89BUL;
    private const ulong PinnedA = 0xD0137A57D0EF408FUL;
    private const ulong PinnedBackend1 = 0x687AE9D58203225CUL;
    private const ulong PinnedIpv6 = 0xA48BF9B519290574UL;

    [Fact]
    public void Of_SameString_SameValueEveryCall()
    {
        var text = new string(['b', 'a', 'c', 'k', 'e', 'n', 'd']);

        Assert.Equal(StableHash.Of("backend"), StableHash.Of(text));
    }

    [Fact]
    public void Of_KnownStrings_GiveThePinnedValues()
    {
        // These values are the cross-process contract: if they change, every silo of a rolling
        // upgrade hashes keys differently and IpHash/Hash clients move.
        Assert.Equal(PinnedEmpty, StableHash.Of(""));
        Assert.Equal(PinnedA, StableHash.Of("a"));
        Assert.Equal(PinnedBackend1, StableHash.Of("backend-1"));
        Assert.Equal(PinnedIpv6, StableHash.Of("2001:db8::1"));
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("ab", "ba")]
    [InlineData("backend-1", "backend-2")]
    [InlineData("\u0100", "\u0001")]
    public void Of_DifferentStrings_DifferentValues(string x, string y)
    {
        Assert.NotEqual(StableHash.Of(x), StableHash.Of(y));
    }

    [Fact]
    public void Of_OneCharacterChanged_FlipsAboutHalfTheBits()
    {
        var flipped = 0;
        for (var i = 0; i < 1000; i++)
        {
            flipped += (int)ulong.PopCount(StableHash.Of($"key-{i}") ^ StableHash.Of($"key-{i}!"));
        }

        var average = flipped / 1000.0;
        Assert.InRange(average, 30.0, 34.0);
    }

    [Fact]
    public void Mix_SwappedArguments_DifferentValues()
    {
        var a = StableHash.Of("a");
        var b = StableHash.Of("b");

        Assert.NotEqual(StableHash.Mix(a, b), StableHash.Mix(b, a));
        Assert.Equal(StableHash.Mix(a, b), StableHash.Mix(a, b));
    }

    [Fact]
    public void OfAndMix_AllocateNothing()
    {
        var key = "203.0.113.7";
        ulong sink = 0;

        var allocated = Backends.AllocatedBy(() => sink ^= StableHash.Mix(StableHash.Of(key), sink));

        Assert.Equal(0, allocated);
    }
}
