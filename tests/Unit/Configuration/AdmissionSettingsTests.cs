using System.Net;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using static WsOrleans.Tests.Unit.Configuration.Config;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class AdmissionSettingsTests
{
    [Fact]
    public void Load_NoAdmission_AdmitsEverything()
    {
        var pool = Assert.Single(Load($"{Pool}Path=/ws").Pools);

        Assert.Equal(new AdmissionSettings(), pool.Settings.Admission);
        Assert.True(pool.Settings.Admission.IsOpen);
    }

    [Fact]
    public void Load_AdmissionValues_AreRead()
    {
        var admission = Assert.Single(Load(
            $"{Pool}Admission:AllowedOrigins=https://Chat.Example.com; http://localhost:3000/",
            $"{Pool}Admission:MaxConnectionsPerAddress=10",
            $"{Pool}Admission:HandshakesPerSecond=2.5",
            $"{Pool}Admission:HandshakeBurst=20").Pools).Settings.Admission;

        Assert.Equal(["https://chat.example.com", "http://localhost:3000"], admission.AllowedOrigins.ToArray());
        Assert.Equal(10, admission.MaxConnectionsPerAddress);
        Assert.Equal(2.5, admission.HandshakesPerSecond);
        Assert.Equal(20, admission.HandshakeBurst);
    }

    [Fact]
    public void Load_OriginsAsAnArray_AreReadAndDefaultPortsDropped()
    {
        var admission = Assert.Single(Load(
            $"{Pool}Admission:AllowedOrigins:0=https://chat.example.com:443",
            $"{Pool}Admission:AllowedOrigins:1=https://chat.example.com:8443").Pools).Settings.Admission;

        Assert.Equal(["https://chat.example.com", "https://chat.example.com:8443"], admission.AllowedOrigins.ToArray());
    }

    [Fact]
    public void Load_RateWithoutBurst_GetsTheRateRoundedUpAsBurst()
    {
        var admission = Assert.Single(Load($"{Pool}Admission:HandshakesPerSecond=0.5").Pools).Settings.Admission;

        Assert.Equal(1, admission.HandshakeBurst);
    }

    [Fact]
    public void Load_SameAdmissionTwice_IsEqual_SoReseedingChangesNothing()
    {
        string[] pairs = [$"{Pool}Admission:AllowedOrigins=https://a.example, https://b.example"];

        Assert.Equal(Load(pairs).Pools[0], Load(pairs).Pools[0]);
    }

    [Theory]
    [InlineData("https://chat.example.com/app")]
    [InlineData("https://chat.example.com?x=1")]
    [InlineData("https://user@chat.example.com")]
    [InlineData("ftp://chat.example.com")]
    [InlineData("chat.example.com")]
    [InlineData("null")]
    public void Load_BadOrigin_IsRefused(string origin)
    {
        var error = Error($"{Pool}Admission:AllowedOrigins={origin}");

        Assert.Equal(new ConfigurationError($"{Pool}Admission:AllowedOrigins", origin, OriginRules.Allowed), error);
    }

    [Fact]
    public void Load_BadOriginInAnArray_NamesItsIndex()
    {
        var error = Error($"{Pool}Admission:AllowedOrigins:0=https://ok.example", $"{Pool}Admission:AllowedOrigins:1=https://bad.example/x");

        Assert.Equal($"{Pool}Admission:AllowedOrigins:1", error.Key);
    }

    [Theory]
    [InlineData("MaxConnectionsPerAddress", "-1", "must be a whole number from 0 to 1000000")]
    [InlineData("MaxConnectionsPerAddress", "ten", "must be a whole number from 0 to 1000000")]
    [InlineData("HandshakesPerSecond", "-2", "must be a number of handshakes per second from 0.001 to 1000000 (e.g. 10 or 0.5), or 0 for no limit")]
    [InlineData("HandshakesPerSecond", "1e3", "must be a number of handshakes per second from 0.001 to 1000000 (e.g. 10 or 0.5), or 0 for no limit")]
    [InlineData("HandshakesPerSecond", "0.0001", "must be a number of handshakes per second from 0.001 to 1000000 (e.g. 10 or 0.5), or 0 for no limit")]
    public void Load_BadLimit_IsRefused(string key, string value, string allowed)
    {
        var error = Error($"{Pool}Admission:{key}={value}");

        Assert.Equal(new ConfigurationError($"{Pool}Admission:{key}", value, allowed), error);
    }

    [Fact]
    public void Load_BurstWithoutRate_IsRefused()
    {
        var error = Error($"{Pool}Admission:HandshakeBurst=5");

        Assert.Equal(new ConfigurationError($"{Pool}Admission:HandshakeBurst", "5", "needs HandshakesPerSecond: a burst is the size of the rate's token bucket"), error);
    }

    [Fact]
    public void Load_UnknownAdmissionKey_IsRefused()
    {
        var error = Error($"{Pool}Admission:MaxConnectionsPerIp=3");

        Assert.Equal($"{Pool}Admission:MaxConnectionsPerIp", error.Key);
        Assert.Equal("unknown key; WsOrleans:Pools:default:Admission takes AllowedOrigins, MaxConnectionsPerAddress, HandshakesPerSecond, HandshakeBurst, RequestsPerSecond, RequestBurst", error.Allowed);
    }

    [Fact]
    public void Load_EdgeLimits_HaveDefaultsAndAreRead()
    {
        var defaults = Load().Edge;
        var edge = Load(
            "WsOrleans:Edge:HandshakeTimeout=00:00:03",
            "WsOrleans:Edge:MaxRequestHeadersSize=8192",
            "WsOrleans:Edge:TrustedProxies=10.0.0.7, 192.168.0.0/16;fd00::/8").Edge;

        Assert.Equal(TimeSpan.FromSeconds(10), defaults.HandshakeTimeout);
        Assert.Equal(32 * 1024, defaults.MaxRequestHeadersSize);
        Assert.Empty(defaults.TrustedProxies);
        Assert.Equal(TimeSpan.FromSeconds(3), edge.HandshakeTimeout);
        Assert.Equal(8192, edge.MaxRequestHeadersSize);
        Assert.Equal([IPNetwork.Parse("10.0.0.7/32"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("fd00::/8")], edge.TrustedProxies.ToArray());
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10")]
    [InlineData("proxy.example.com")]
    [InlineData("10.0.0.0/33")]
    public void Load_BadTrustedProxy_IsRefused(string proxy)
    {
        var error = Error($"WsOrleans:Edge:TrustedProxies={proxy}");

        Assert.Equal(new ConfigurationError("WsOrleans:Edge:TrustedProxies", proxy, TrustedProxiesReader.Allowed), error);
    }

    [Theory]
    [InlineData("MaxRequestHeadersSize", "512")]
    [InlineData("MaxRequestHeadersSize", "2000000")]
    [InlineData("HandshakeTimeout", "00:00:00.010")]
    public void Load_EdgeLimitOutOfRange_IsRefused(string key, string value)
    {
        var error = Error($"WsOrleans:Edge:{key}={value}");

        Assert.Equal($"WsOrleans:Edge:{key}", error.Key);
        Assert.Equal(value, error.Value);
    }
}
