using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class ClusterSettingsTests
{
    [Fact]
    public void Load_NoWsOrleansSection_UsesTheDocumentedDefaults()
    {
        var settings = Config.Load("Urls=http://127.0.0.1:8080");

        Assert.Equal(ClusterMode.Embedded, settings.Cluster.Mode);
        Assert.Equal("wsorleans", settings.Cluster.ServiceId);
        Assert.Equal("dev", settings.Cluster.ClusterId);
        Assert.Equal(11111, settings.Cluster.SiloPort);
        Assert.Equal(30000, settings.Cluster.GatewayPort);
        Assert.Equal(11111, settings.Cluster.PrimarySiloPort);
        Assert.Equal("http://127.0.0.1:9901", settings.Management.Urls);
        Assert.Equal("", settings.Management.ApiKey);
        Assert.Empty(settings.Pools);
    }

    [Fact]
    public void Load_ClusterValues_AreReadWithModeIgnoringCase()
    {
        var cluster = Config.Load(
            "WsOrleans:Cluster:Mode=localhost",
            "WsOrleans:Cluster:ServiceId=chat-prod",
            "WsOrleans:Cluster:ClusterId=blue_2",
            "WsOrleans:Cluster:SiloPort=11112",
            "WsOrleans:Cluster:GatewayPort=30001",
            "WsOrleans:Cluster:PrimarySiloPort=11110").Cluster;

        Assert.Equal(
            new ClusterSettings
            {
                Mode = ClusterMode.Localhost,
                ServiceId = "chat-prod",
                ClusterId = "blue_2",
                SiloPort = 11112,
                GatewayPort = 30001,
                PrimarySiloPort = 11110,
            },
            cluster);
    }

    [Theory]
    [InlineData("Cloud")]
    [InlineData("1")]
    [InlineData("Embedded, Localhost")]
    public void Load_UnknownClusterMode_ListsTheModes(string mode)
    {
        var error = Config.Error($"WsOrleans:Cluster:Mode={mode}");

        Assert.Equal(new ConfigurationError("WsOrleans:Cluster:Mode", mode, "must be one of Embedded, Localhost, Redis"), error);
    }

    [Fact]
    public void Load_RedisMode_TakesConnectionStringAndAdvertisedAddress()
    {
        var cluster = Config.Load(
            "WsOrleans:Cluster:Mode=Redis",
            "WsOrleans:Cluster:ConnectionString=10.0.0.9:6379,password=secret",
            "WsOrleans:Cluster:AdvertisedAddress=10.0.0.5").Cluster;

        Assert.Equal(ClusterMode.Redis, cluster.Mode);
        Assert.Equal("10.0.0.9:6379,password=secret", cluster.ConnectionString);
        Assert.Equal(System.Net.IPAddress.Parse("10.0.0.5"), cluster.AdvertisedAddress);
    }

    [Fact]
    public void Load_RedisModeWithoutConnectionString_NamesTheMissingKey()
    {
        var error = Config.Error("WsOrleans:Cluster:Mode=Redis");

        Assert.Equal(("WsOrleans:Cluster:ConnectionString", (string?)null), (error.Key, error.Value));
        Assert.Contains("required in Redis mode", error.Allowed);
    }

    [Theory]
    [InlineData(",,,")]
    [InlineData("password=only")]
    public void Load_RedisConnectionStringWithoutEndpoint_IsRefused(string value)
    {
        var error = Config.Error("WsOrleans:Cluster:Mode=Redis", $"WsOrleans:Cluster:ConnectionString={value}");

        Assert.Equal(("WsOrleans:Cluster:ConnectionString", value), (error.Key, error.Value));
    }

    [Fact]
    public void Load_AdvertisedAddressNotAnIp_IsRefused()
    {
        var error = Config.Error("WsOrleans:Cluster:AdvertisedAddress=my-host");

        Assert.Equal(("WsOrleans:Cluster:AdvertisedAddress", "my-host"), (error.Key, error.Value));
    }

    [Theory]
    [InlineData("SiloPort", "70000")]
    [InlineData("GatewayPort", "0")]
    [InlineData("PrimarySiloPort", "abc")]
    public void Load_PortOutOfRange_NamesThePortAndTheRange(string key, string value)
    {
        var error = Config.Error($"WsOrleans:Cluster:{key}={value}");

        Assert.Equal(new ConfigurationError($"WsOrleans:Cluster:{key}", value, "must be a whole number from 1 to 65535"), error);
    }

    [Theory]
    [InlineData("ServiceId", "chat prod")]
    [InlineData("ClusterId", "a/b")]
    [InlineData("ClusterId", "")]
    public void Load_IdentifierWithForbiddenCharacters_IsRefused(string key, string value)
    {
        var error = Config.Error($"WsOrleans:Cluster:{key}={value}");

        Assert.Equal($"WsOrleans:Cluster:{key}", error.Key);
        Assert.Equal(value, error.Value);
        Assert.Contains("letters, digits", error.Allowed);
    }

    [Fact]
    public void Load_MisspelledClusterKey_ListsTheKeysItTakes()
    {
        // Keys are matched ignoring case, as .NET configuration does: ServiceID is ServiceId.
        var error = Config.Error("WsOrleans:Cluster:ServiceID=chat", "WsOrleans:Cluster:Port=11111");

        Assert.Equal("WsOrleans:Cluster:Port", error.Key);
        Assert.Equal("11111", error.Value);
        Assert.Equal("unknown key; WsOrleans:Cluster takes Mode, ServiceId, ClusterId, ConnectionString, SiloPort, GatewayPort, PrimarySiloPort, AdvertisedAddress", error.Allowed);
    }
}
