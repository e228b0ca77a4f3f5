using WsOrleans.Balancing;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Balancing;

public sealed class BalancingStrategiesTests
{
    [Theory]
    [InlineData("RoundRobin", typeof(RoundRobinStrategy))]
    [InlineData("LeastConnections", typeof(LeastConnectionsStrategy))]
    [InlineData("IpHash", typeof(ConsistentHashStrategy))]
    [InlineData("Hash", typeof(ConsistentHashStrategy))]
    [InlineData("Sticky", typeof(StickyStrategy))]
    public void Create_KnownName_ReturnsThatStrategy(string name, Type expectedType)
    {
        var strategy = BalancingStrategies.Create(Pool(name), TimeProvider.System);

        Assert.IsType(expectedType, strategy);
        Assert.Equal(name, strategy.Name);
    }

    [Fact]
    public void Create_EveryDocumentedName_IsSupported()
    {
        foreach (var name in StrategyNames.All)
        {
            Assert.Equal(name, BalancingStrategies.Create(Pool(name), TimeProvider.System).Name);
        }
    }

    [Fact]
    public void Create_DefaultSettings_IsLeastConnections()
    {
        var strategy = BalancingStrategies.Create(new PoolSettings { Name = "chat" }, TimeProvider.System);

        Assert.IsType<LeastConnectionsStrategy>(strategy);
    }

    [Fact]
    public void Create_CalledTwice_ReturnsSeparateInstances()
    {
        var settings = Pool(StrategyNames.RoundRobin);

        Assert.NotSame(
            BalancingStrategies.Create(settings, TimeProvider.System),
            BalancingStrategies.Create(settings, TimeProvider.System));
    }

    [Fact]
    public void Create_StickyWithAffinityTtl_UsesThatTtl()
    {
        var settings = Pool(StrategyNames.Sticky) with
        {
            Affinity = new AffinitySettings { Key = new RequestKey(RequestKeyKind.Cookie, "sid"), Ttl = TimeSpan.FromMinutes(7) },
        };

        var strategy = Assert.IsType<StickyStrategy>(BalancingStrategies.Create(settings, TimeProvider.System));

        Assert.Equal(TimeSpan.FromMinutes(7), strategy.Ttl);
    }

    [Fact]
    public void Create_StickyWithoutAffinity_UsesDefaultTtl()
    {
        var strategy = Assert.IsType<StickyStrategy>(BalancingStrategies.Create(Pool(StrategyNames.Sticky), TimeProvider.System));

        Assert.Equal(AffinitySettings.DefaultTtl, strategy.Ttl);
    }

    [Theory]
    [InlineData("Random")]
    [InlineData("roundrobin")]
    [InlineData("")]
    public void Create_UnknownName_ThrowsListingTheAllowedNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => BalancingStrategies.Create(Pool(name), TimeProvider.System));

        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("'chat'", error.Message);
        Assert.Contains("RoundRobin, LeastConnections, IpHash, Hash, Sticky", error.Message);
    }

    private static PoolSettings Pool(string strategy) => new() { Name = "chat", Strategy = strategy };
}
