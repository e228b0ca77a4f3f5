using System.Net.Http.Json;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// An https:// management listener (WsOrleans:Management:CertificatePath) and the CLI against it:
/// trusted through --ca-file (or WSORLEANS_CA_FILE), refused with a message that says what to pass
/// when the certificate is not trusted, and --insecure for a listener the operator vouches for.
/// </summary>
public sealed class ManagementTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "management");
        _edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Management:Urls", "https://127.0.0.1:0"),
            new("WsOrleans:Management:CertificatePath", certificate),
            new("WsOrleans:Management:KeyPath", key),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task StatusOverHttps_PresentsTheConfiguredCertificate()
    {
        Assert.Equal("https", _edge.ManagementBase.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => _certificates.Trusts(certificate) };
        using var http = new HttpClient(handler);

        var status = await http.GetFromJsonAsync<StatusView>(new Uri(_edge.ManagementBase, "/status"));

        Assert.NotEmpty(status!.Silos);
    }

    [Fact]
    public async Task Cli_WithTheCaFile_ReadsTheStatus()
    {
        var run = await CliRun.RunAsync(["status", "--edge", Url, "--ca-file", _certificates.CaFile]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("SILOS", run.Output);
    }

    [Fact]
    public async Task Cli_WithTheCaFileFromTheEnvironment_ReadsTheStatus()
    {
        var run = await CliRun.RunAsync(["status", "--json"], new Dictionary<string, string> { ["WSORLEANS_EDGE"] = Url, ["WSORLEANS_CA_FILE"] = _certificates.CaFile });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"silos\"", run.Output);
    }

    [Fact]
    public async Task Cli_WithoutTrust_IsRefusedAndToldToPassTheCa()
    {
        var run = await CliRun.RunAsync(["status", "--edge", Url]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"the edge's management listener at {Url} (--edge) is not trusted", run.Error);
        Assert.Contains("--ca-file", run.Error);
    }

    [Fact]
    public async Task Cli_WithAnotherCa_IsRefused()
    {
        using var other = new TestCertificates("Another CA");

        var run = await CliRun.RunAsync(["status", "--edge", Url, "--ca-file", other.CaFile]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("does not chain to a CA of --ca-file", run.Error);
    }

    [Fact]
    public async Task Cli_Insecure_ReadsTheStatusWithoutChecking()
    {
        var run = await CliRun.RunAsync(["status", "--edge", Url, "--insecure"]);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Cli_UnreadableCaFile_IsAUsageErrorNamingTheOption()
    {
        var run = await CliRun.RunAsync(["status", "--edge", Url, "--ca-file", "/nonexistent/ca.pem"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--ca-file = '/nonexistent/ca.pem'", run.Error);
    }

    private string Url => _edge.ManagementBase.GetLeftPart(UriPartial.Authority);
}
