using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using static WsOrleans.Tests.Unit.Configuration.Config;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class PoolHttpAndCookieSettingsTests
{
    [Fact]
    public void Load_PoolWithoutHttpKey_ForwardsPlainHttp()
    {
        var pool = Assert.Single(Load($"{Pool}Path=/ws").Pools);

        Assert.Equal(PoolHttpMode.Forward, pool.Settings.Http);
    }

    [Theory]
    [InlineData("Refuse", PoolHttpMode.Refuse)]
    [InlineData("refuse", PoolHttpMode.Refuse)]
    [InlineData("FORWARD", PoolHttpMode.Forward)]
    public void Load_HttpMode_IsReadInAnyCase(string written, PoolHttpMode expected)
    {
        var pool = Assert.Single(Load($"{Pool}Http={written}").Pools);

        Assert.Equal(expected, pool.Settings.Http);
    }

    [Fact]
    public void Load_UnknownHttpMode_NamesTheAllowedModes()
    {
        var error = Error($"{Pool}Http=Proxy");

        Assert.Equal(($"{Pool}Http", "Proxy"), (error.Key, error.Value));
        Assert.Contains("Forward", error.Allowed);
        Assert.Contains("Refuse", error.Allowed);
    }

    [Fact]
    public void Load_AffinityCookie_WorksWithAnyStrategyButSticky()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=RoundRobin", $"{Pool}Affinity:Cookie=srv", $"{Pool}Affinity:Ttl=00:20:00").Pools);

        Assert.Equal(new AffinitySettings { Cookie = "srv", Ttl = TimeSpan.FromMinutes(20) }, pool.Settings.Affinity);
        Assert.Null(pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_AffinityCookieWithIpHash_KeepsTheClientAddressAsTheKey()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=IpHash", $"{Pool}Affinity:Cookie=srv").Pools);

        Assert.Equal("srv", pool.Settings.Affinity?.Cookie);
        Assert.Equal(WsOrleans.Routing.RequestKey.ClientAddress, pool.Settings.RoutingKey);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("equals=sign")]
    [InlineData("quote\"")]
    [InlineData("comma,")]
    [InlineData("__Host-srv")]
    [InlineData("__Secure-srv")]
    public void Load_AffinityCookieThatIsNoCookieName_IsRefused(string name)
    {
        var error = Error($"{Pool}Affinity:Cookie={name}");

        Assert.Equal(new ConfigurationError($"{Pool}Affinity:Cookie", name, StrategyRules.AffinityCookieAllowed), error);
    }

    [Fact]
    public void Load_AffinityCookieOf101Characters_IsRefused()
    {
        var error = Error($"{Pool}Affinity:Cookie={new string('c', 101)}");

        Assert.Equal($"{Pool}Affinity:Cookie", error.Key);
    }

    [Fact]
    public void Load_AffinityKeyAndCookieTogether_IsRefusedNamingBoth()
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Key=query:s", $"{Pool}Affinity:Cookie=srv");

        Assert.Equal($"{Pool}Affinity:Cookie", error.Key);
        Assert.Contains("Affinity:Key", error.Allowed);
    }

    [Fact]
    public void Load_StickyWithACookieOnly_SaysToUseAKey()
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Cookie=srv");

        Assert.Equal(($"{Pool}Affinity:Cookie", "srv"), (error.Key, error.Value));
        Assert.Contains("Sticky", error.Allowed);
    }

    [Fact]
    public void Load_HttpActivityTimeout_DefaultsToFiveMinutes_AndIsRead()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Load().Edge.HttpActivityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(150), Load("WsOrleans:Edge:HttpActivityTimeout=00:02:30").Edge.HttpActivityTimeout);
    }

    [Fact]
    public void Load_HttpActivityTimeoutOfZero_IsRefused()
    {
        var error = Error("WsOrleans:Edge:HttpActivityTimeout=00:00:00");

        Assert.Equal("WsOrleans:Edge:HttpActivityTimeout", error.Key);
    }
}
