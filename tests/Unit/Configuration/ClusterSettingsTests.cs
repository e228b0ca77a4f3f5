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
        Assert.Equal("unknown key; WsOrleans:Cluster takes Mode, ServiceId, ClusterId, ConnectionString, SiloPort, GatewayPort, PrimarySiloPort, AdvertisedAddress, Tls, DashboardUrls", error.Allowed);
    }

    [Fact]
    public void Load_DashboardUrls_AreReadAndChecked()
    {
        Assert.Equal(["http://127.0.0.1:9902", "http://10.0.0.5:9902"], Config.Load("WsOrleans:Cluster:DashboardUrls=http://127.0.0.1:9902; http://10.0.0.5:9902").Cluster.DashboardUrlList);
        Assert.Empty(Config.Load().Cluster.DashboardUrlList);

        var error = Config.Error("WsOrleans:Cluster:DashboardUrls=127.0.0.1:9902");

        Assert.Equal(new ConfigurationError("WsOrleans:Cluster:DashboardUrls", "127.0.0.1:9902", "'127.0.0.1:9902' must be an http:// or https:// URL with a host and a port and no path, e.g. http://127.0.0.1:9902"), error);
    }

    [Fact]
    public void Load_TlsWithoutACertificate_IsRefused()
    {
        var error = Config.Error("WsOrleans:Cluster:Tls:CaFile=/etc/wsorleans/ca.pem");

        Assert.Equal("WsOrleans:Cluster:Tls:CertificatePath", error.Key);
        Assert.StartsWith("required when KeyPath or CaFile is set", error.Allowed);
    }

    [Fact]
    public void Load_TlsWithFilesThatDoNotExist_NamesEachFile()
    {
        var errors = Config.Errors("WsOrleans:Cluster:Tls:CertificatePath=/no/such/node.pem", "WsOrleans:Cluster:Tls:CaFile=/no/such/ca.pem");

        Assert.Equal(["WsOrleans:Cluster:Tls:CaFile", "WsOrleans:Cluster:Tls:CertificatePath"], errors.Select(e => e.Key).Order());
        Assert.All(errors, e => Assert.Contains("/no/such/", e.Allowed + e.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TlsWithACertificateButNoCa_IsRefused()
    {
        var errors = Config.Errors("WsOrleans:Cluster:Tls:CertificatePath=/no/such/node.pem");

        Assert.Contains(errors, e => e.Key == "WsOrleans:Cluster:Tls:CaFile" && e.Allowed.StartsWith("required with a certificate", StringComparison.Ordinal));
    }
}
