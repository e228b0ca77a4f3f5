using WsOrleans.Balancing;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class ConsistentHashStrategyTests
{
    private const int KeyCount = 10_000;

    // Computed independently (Python, same algorithm) for backends b0..b4.
    private const string PinnedPicks = "b3 b4 b3 b4 b0 b4 b4 b0";

    private static readonly string[] PinnedAddresses =
        ["203.0.113.7", "198.51.100.23", "192.0.2.1", "10.1.2.3", "127.0.0.1", "2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a"];

    private static readonly string[] Keys = [.. Enumerable.Range(0, KeyCount).Select(i => $"user-{i}")];

    [Fact]
    public void Hash_RemoveOneOfFive_OnlyItsKeysMoveAndTheySpread()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var five = Backends.Named("b0", "b1", "b2", "b3", "b4");
        var removed = five[2];
        var four = five.Where(b => b != removed).ToArray();

        var before = Assign(strategy, five);
        var after = Assign(strategy, four);

        var othersMoved = Enumerable.Range(0, KeyCount).Count(i => before[i] != removed.Id && after[i] != before[i]);
        Assert.Equal(0, othersMoved);
        var orphans = Enumerable.Range(0, KeyCount).Where(i => before[i] == removed.Id).ToArray();
        Assert.InRange(orphans.Length, 1700, 2300);
        foreach (var survivor in four)
        {
            var share = orphans.Count(i => after[i] == survivor.Id) / (double)orphans.Length;
            Assert.InRange(share, 0.18, 0.32);
        }
    }

    [Fact]
    public void Hash_AddSixthToFive_MovesAboutASixthAllToTheNewBackend()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var five = Backends.Named("b0", "b1", "b2", "b3", "b4");
        var six = five.Append(new BackendEntry("b5")).ToArray();

        var before = Assign(strategy, five);
        var after = Assign(strategy, six);

        var moved = Enumerable.Range(0, KeyCount).Where(i => after[i] != before[i]).ToArray();
        Assert.InRange(moved.Length / (double)KeyCount, 0.12, 0.22);
        Assert.All(moved, i => Assert.Equal("b5", after[i]));
    }

    [Fact]
    public void Hash_EqualWeights_SpreadsKeysEvenly()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var five = Backends.Named("b0", "b1", "b2", "b3", "b4");

        var assigned = Assign(strategy, five);

        foreach (var backend in five)
        {
            Assert.InRange(assigned.Count(id => id == backend.Id), 1700, 2300);
        }
    }

    [Fact]
    public void Hash_Weights13_SharesProportionalToWeight()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var candidates = Backends.Weighted(("light", 1), ("heavy", 3));

        var assigned = Assign(strategy, candidates);

        Assert.InRange(assigned.Count(id => id == "heavy") / (double)KeyCount, 0.72, 0.78);
    }

    [Fact]
    public void Hash_WeightRaised_KeysMoveOnlyToTheHeavierBackend()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var candidates = Backends.Named("b0", "b1", "b2");

        var before = Assign(strategy, candidates);
        candidates[1].Weight = 2;
        var after = Assign(strategy, candidates);

        var moved = Enumerable.Range(0, KeyCount).Where(i => after[i] != before[i]).ToArray();
        Assert.NotEmpty(moved);
        Assert.All(moved, i => Assert.Equal("b1", after[i]));
    }

    [Fact]
    public void Hash_CandidateOrderOrLiveChanges_SameBackend()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var candidates = Backends.Named("b0", "b1", "b2", "b3");
        var reversed = candidates.Reverse().ToArray();

        var first = strategy.Pick("tenant-42", candidates);
        first.Live = 1000;

        Assert.Same(first, strategy.Pick("tenant-42", reversed));
        Assert.Same(first, new ConsistentHashStrategy(StrategyNames.Hash).Pick("tenant-42", candidates));
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("198.51.100.23")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:85a3::8a2e:370:7334")]
    public void IpHash_Ipv4AndIpv6_SameBackendAcrossInstancesAndOrders(string address)
    {
        var candidates = Backends.Named("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
        var expected = new ConsistentHashStrategy(StrategyNames.IpHash).Pick(address, candidates).Id;

        for (var i = 0; i < 5; i++)
        {
            var fresh = new ConsistentHashStrategy(StrategyNames.IpHash);
            Assert.Equal(expected, fresh.Pick(address, candidates).Id);
            Assert.Equal(expected, fresh.Pick(address, candidates.Reverse().ToArray()).Id);
        }
    }

    [Fact]
    public void IpHash_KnownAddresses_GoToThePinnedBackends()
    {
        // Pins the whole chain (hash, mix, score) so that every silo and every version agree.
        var strategy = new ConsistentHashStrategy(StrategyNames.IpHash);
        var candidates = Backends.Named("b0", "b1", "b2", "b3", "b4");

        var picks = string.Join(" ", PinnedAddresses.Select(a => strategy.Pick(a, candidates).Id));

        Assert.Equal(PinnedPicks, picks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Hash_NoKey_FallsBackToLeastConnections(string? key)
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        var candidates = Backends.Named("a", "b", "c");
        candidates[0].Live = 5;
        candidates[2].Live = 5;

        Assert.Equal("b", strategy.Pick(key, candidates).Id);
        candidates[1].Live = 9;
        candidates[2].Live = 6;
        Assert.Equal("a", strategy.Pick(key, candidates).Id);
    }

    [Theory]
    [InlineData("IpHash")]
    [InlineData("Hash")]
    public void ConsistentHash_Name_IsTheOneGiven(string name)
    {
        Assert.Equal(name, new ConsistentHashStrategy(name).Name);
    }

    [Theory]
    [InlineData("Sticky")]
    [InlineData("hash")]
    public void ConsistentHash_OtherName_Throws(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new ConsistentHashStrategy(name));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Hash_Pick_AllocatesNothing()
    {
        var strategy = new ConsistentHashStrategy(StrategyNames.Hash);
        IReadOnlyList<BackendEntry> candidates = Backends.Named("b0", "b1", "b2", "b3", "b4");

        var allocated = Backends.AllocatedBy(() => strategy.Pick("user-7", candidates));

        Assert.Equal(0, allocated);
    }

    private static string[] Assign(ConsistentHashStrategy strategy, IReadOnlyList<BackendEntry> candidates) =>
        [.. Keys.Select(k => strategy.Pick(k, candidates).Id)];
}
