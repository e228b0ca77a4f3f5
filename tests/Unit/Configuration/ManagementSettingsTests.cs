using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class ManagementSettingsTests
{
    private const string Urls = "WsOrleans:Management:Urls";
    private const string ApiKey = "WsOrleans:Management:ApiKey";
    private const string CertificatePath = "WsOrleans:Management:CertificatePath";
    private const string KeyPath = "WsOrleans:Management:KeyPath";

    [Fact]
    public void Load_NoManagementSection_ListensOnLoopbackWithoutKey()
    {
        var management = Config.Load().Management;

        Assert.Equal(["http://127.0.0.1:9901"], management.UrlList);
        Assert.Equal("", management.ApiKey);
    }

    [Theory]
    [InlineData("http://localhost:9901")]
    [InlineData("http://[::1]:9901")]
    [InlineData("http://127.0.0.2:9901")]
    public void Load_LoopbackUrlWithoutApiKey_IsAccepted(string url)
    {
        var management = Config.Load($"{Urls}={url}").Management;

        Assert.Equal([url], management.UrlList);
    }

    [Theory]
    [InlineData("http://0.0.0.0:9901")]
    [InlineData("http://10.1.2.3:9901")]
    [InlineData("http://admin.example.com:9901")]
    [InlineData("http://*:9901")]
    [InlineData("http://+:9901")]
    public void Load_NonLoopbackUrlWithoutApiKey_RequiresTheApiKey(string url)
    {
        var error = Config.Error($"{Urls}={url}");

        Assert.Equal(new ConfigurationError(ApiKey, null, $"required because the management listener {url} is not on loopback"), error);
    }

    [Fact]
    public void Load_NonLoopbackUrlWithApiKey_IsAccepted()
    {
        var management = Config.Load($"{Urls}=http://0.0.0.0:9901", $"{ApiKey}=s3cret").Management;

        Assert.Equal(["http://0.0.0.0:9901"], management.UrlList);
        Assert.Equal("s3cret", management.ApiKey);
    }

    [Fact]
    public void Load_LoopbackAndPublicUrls_RequireTheApiKeyForThePublicOne()
    {
        var error = Config.Error($"{Urls}=http://127.0.0.1:9901; http://10.0.0.5:9901");

        Assert.Equal(ApiKey, error.Key);
        Assert.Contains("http://10.0.0.5:9901", error.Allowed);
    }

    [Fact]
    public void Load_TwoPublicUrlsWithoutApiKey_AsksForTheKeyOnce()
    {
        var error = Config.Error($"{Urls}=http://10.0.0.5:9901;http://10.0.0.6:9901");

        Assert.Equal(ApiKey, error.Key);
    }

    [Fact]
    public void Load_BlankApiKey_CountsAsNoKey()
    {
        Assert.Equal(ApiKey, Config.Error($"{Urls}=http://0.0.0.0:9901", $"{ApiKey}=   ").Key);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:9901")]
    [InlineData("ftp://127.0.0.1:9901")]
    [InlineData("127.0.0.1:9901")]
    [InlineData("http://127.0.0.1:9901/admin")]
    public void Load_UrlThatIsNotAnHttpRoot_IsRefused(string url)
    {
        var error = Config.Error($"{Urls}=http://127.0.0.1:9901;{url}");

        Assert.Equal(Urls, error.Key);
        Assert.Equal($"http://127.0.0.1:9901;{url}", error.Value);
        Assert.StartsWith($"'{url}' must be an http:// or https:// URL", error.Allowed);
    }

    [Fact]
    public void Load_SeveralUrls_AreSplitOnSemicolons()
    {
        var management = Config.Load($"{Urls}= http://127.0.0.1:9901 ;http://[::1]:9902; ").Management;

        Assert.Equal(["http://127.0.0.1:9901", "http://[::1]:9902"], management.UrlList);
    }

    [Fact]
    public void Load_EmptyUrls_TurnsTheListenerOff()
    {
        var management = Config.Load($"{Urls}=").Management;

        Assert.Empty(management.UrlList);
    }

    [Fact]
    public void Load_MisspelledManagementKey_ListsTheKeysItTakes()
    {
        var error = Config.Error("WsOrleans:Management:Url=http://127.0.0.1:9901");

        Assert.Equal(
            new ConfigurationError("WsOrleans:Management:Url", "http://127.0.0.1:9901", "unknown key; WsOrleans:Management takes Urls, ApiKey, CertificatePath, KeyPath"),
            error);
    }

    [Fact]
    public void Load_HttpsUrlWithoutCertificate_RequiresCertificatePath()
    {
        var error = Config.Error($"{Urls}=https://127.0.0.1:9443");

        Assert.Equal(CertificatePath, error.Key);
        Assert.Contains("https://127.0.0.1:9443 is https", error.Allowed);
    }

    [Fact]
    public void Load_KeyPathWithoutCertificate_RequiresCertificatePath()
    {
        var error = Config.Error($"{KeyPath}=/etc/wsorleans/management.key");

        Assert.Equal(CertificatePath, error.Key);
        Assert.Contains("KeyPath", error.Allowed);
    }

    [Fact]
    public void Load_HttpsUrlWithAMissingCertificateFile_NamesTheFileSetting()
    {
        var error = Config.Error($"{Urls}=https://127.0.0.1:9443", $"{CertificatePath}=/nonexistent/management.pem");

        Assert.Equal(CertificatePath, error.Key);
        Assert.Equal("/nonexistent/management.pem", error.Value);
        Assert.Contains("PEM certificate", error.Allowed);
    }

    [Fact]
    public void Load_CertificateWithoutAnHttpsUrl_SaysItWouldNotBeUsed()
    {
        var errors = Config.Errors($"{Urls}=http://127.0.0.1:9901", $"{CertificatePath}=/nonexistent/management.pem");

        Assert.Contains(errors, e => e.Key == CertificatePath && e.Allowed.Contains("no URL in Urls is https://", StringComparison.Ordinal));
    }
}
