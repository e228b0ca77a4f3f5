using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>WsOrleans:Cluster:Tls: mutual TLS between an edge and its silo, with certificates made by the test.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    private readonly TestCertificates _cluster = new("WsOrleans cluster CA");

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task EdgeAndSilo_WithCertificatesFromTheClusterCa_RouteAsUsual()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var silo = await TestSilo.StartAsync([.. Tls(_cluster, "silo"), .. backends.AsBackendsOf("default")]);
        await using var edge = await TestEdge.StartAsync([.. silo.ClientConfiguration, .. Tls(_cluster, "edge")]);

        await Eventually.Until(() => edge.StatusAsync(), s => s.Pools.Any(p => p.Name == "default"), "the edge to see the silo's pool");
        using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout);

        Assert.Equal("a", await socket.AskAsync("whoami", _timeout));
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Edge_WithACertificateFromAnotherCa_IsRefusedBySilo()
    {
        using var strangers = new TestCertificates("Someone else's CA");
        await AssertRefusedAsync(Tls(strangers, "intruder", caFile: _cluster.CaFile));
    }

    [Fact]
    public async Task Edge_WithoutTls_IsRefusedByATlsSilo()
    {
        await AssertRefusedAsync([]);
    }

    /// <summary>
    /// An edge configured with <paramref name="edgeTls"/> never joins: the silo refuses its TLS
    /// handshake (and says so in its log) and the edge's start-up, which keeps retrying as it would
    /// while silos come up, never completes.
    /// </summary>
    private async Task AssertRefusedAsync(IEnumerable<KeyValuePair<string, string?>> edgeTls)
    {
        var siloLog = new CapturingLoggerProvider();
        await using var silo = await TestSilo.StartAsync(Tls(_cluster, "silo"), configure: b => b.Services.AddSingleton<ILoggerProvider>(siloLog));
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(_timeout);

        var start = TestEdge.StartAsync([.. silo.ClientConfiguration, .. edgeTls], cancellationToken: giveUp.Token);
        await Eventually.Until(
            () => Task.FromResult(siloLog.Entries.Count(e => e.Category.StartsWith("Orleans.Connections.Security", StringComparison.Ordinal) && e.Level >= LogLevel.Warning)),
            refusals => refusals >= 2,
            "the silo to refuse the edge's TLS handshakes (it retries)");
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
    }

    /// <summary>Cluster TLS configuration for one member whose certificate <paramref name="issuer"/> signs.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Tls(TestCertificates issuer, string member, string? caFile = null)
    {
        var (certificate, key) = issuer.WritePem(issuer.ClusterMember(member), member);
        return
        [
            new("WsOrleans:Cluster:Tls:CertificatePath", certificate),
            new("WsOrleans:Cluster:Tls:KeyPath", key),
            new("WsOrleans:Cluster:Tls:CaFile", caFile ?? issuer.CaFile),
        ];
    }
}
