using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.EchoBackend;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>wss:// at the edge and to backends, with certificates made by the test.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task WssClient_ThroughATlsEdge_ToAWssBackendTrustedByThePoolsCaFile()
    {
        await using var backend = await EchoServer.StartAsync(new EchoServerOptions { Id = "secure", Url = "https://127.0.0.1:0", Certificate = _certificates.Server() });
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "edge");
        await using var edge = await TestEdge.StartAsync(
        [
            new("Urls", ""),
            new("Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0"),
            new("Kestrel:Endpoints:Https:Certificate:Path", certificate),
            new("Kestrel:Endpoints:Https:Certificate:KeyPath", key),
            new("WsOrleans:Pools:default:Backends:0:Address", backend.WebSocketAddress.ToString()),
            new("WsOrleans:Pools:default:BackendTls:CaFile", _certificates.CaFile),
        ]);

        using var socket = await ConnectTrustingTheTestCaAsync(edge.WebSocketUri("/ws"));

        Assert.Equal("wss", edge.WebSocketBase.Scheme);
        Assert.Equal("secure", await socket.AskAsync("whoami", _timeout));
        var large = new byte[1024 * 1024];
        Random.Shared.NextBytes(large);
        var send = socket.SendAsync(large, WebSocketMessageType.Binary, true, _timeout);
        var (_, echoed) = await socket.ReceiveMessageAsync(_timeout);
        await send;
        Assert.True(large.AsSpan().SequenceEqual(echoed));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", _timeout);
        Assert.Equal("bye", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task PlainHttpOverHttp2_ThroughATlsEdge_ToAnHttpsBackendTrustedByThePoolsCaFile_GetsASecureAffinityCookie()
    {
        await using var backend = await EchoServer.StartAsync(new EchoServerOptions { Id = "secure", Url = "https://127.0.0.1:0", Certificate = _certificates.Server() });
        var (certificate, key) = _certificates.WritePem(_certificates.Server(), "edge");
        await using var edge = await TestEdge.StartAsync(
        [
            new("Urls", ""),
            new("Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0"),
            new("Kestrel:Endpoints:Https:Certificate:Path", certificate),
            new("Kestrel:Endpoints:Https:Certificate:KeyPath", key),
            new("WsOrleans:Pools:default:Backends:0:Address", backend.WebSocketAddress.ToString()),
            new("WsOrleans:Pools:default:BackendTls:CaFile", _certificates.CaFile),
            new("WsOrleans:Pools:default:Affinity:Cookie", "srv"),
        ]);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => _certificates.Trusts(presented) },
        });

        // Kestrel may still rebind the endpoint for the certificate files just written (their change notice can come
        // after start-up) and drop the first connection: a connection that breaks before any answer means "not yet".
        using var response = await Eventually.Until(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.HttpBase, "/ws/events?count=2&interval=10")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                try
                {
                    return await http.SendAsync(request, _timeout);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            answered => answered is not null,
            "an answer over HTTP/2 through the TLS edge") ?? throw new InvalidOperationException("no answer");

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (response.StatusCode, response.Version));
        Assert.Equal("id: 1\ndata: secure 1\n\nid: 2\ndata: secure 2\n\n", await response.Content.ReadAsStringAsync(_timeout));
        Assert.Contains("secure", response.Headers.GetValues("Set-Cookie").Single().Split("; "));
    }

    [Fact]
    public async Task WssBackend_WithACertificateNoOneTrusts_IsRefusedAndLogged()
    {
        using var strangers = new TestCertificates("Someone else's CA");
        await using var backend = await EchoServer.StartAsync(new EchoServerOptions { Id = "stranger", Url = "https://127.0.0.1:0", Certificate = strangers.Server() });
        var logs = new CapturingLoggerProvider();
        await using var edge = await TestEdge.StartAsync(
            [
                new("WsOrleans:Pools:default:Backends:0:Address", backend.WebSocketAddress.ToString()),
                new("WsOrleans:Pools:default:BackendTls:CaFile", _certificates.CaFile),

                // Each request meets the certificate itself, rather than a backend ejected by probes and reports.
                new("WsOrleans:Pools:default:HealthCheck:Mode", "None"),
                new("WsOrleans:Pools:default:HealthCheck:UnhealthyThreshold", "10"),
            ],
            builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

        var (status, _) = await WebSocketClient.RefusedAsync(edge.WebSocketUri("/ws"), _timeout);
        using var plain = await new HttpClient().GetAsync(new Uri(edge.HttpBase, "/ws/negotiate"), _timeout);

        Assert.Equal(502, status);
        Assert.Equal(HttpStatusCode.BadGateway, plain.StatusCode);
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("could not be reached", StringComparison.Ordinal) && e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(0, backend.TotalConnections);
    }

    [Fact]
    public async Task WssBackend_SelfSigned_WithValidationExplicitlyOff_WorksAndSaysSoInTheLog()
    {
        using var strangers = new TestCertificates("Self-signed");
        await using var backend = await EchoServer.StartAsync(new EchoServerOptions { Id = "selfsigned", Url = "https://127.0.0.1:0", Certificate = strangers.Server() });
        var logs = new CapturingLoggerProvider();
        await using var edge = await TestEdge.StartAsync(
            [
                new("WsOrleans:Pools:default:Backends:0:Address", backend.WebSocketAddress.ToString()),
                new("WsOrleans:Pools:default:BackendTls:SkipCertificateValidation", "true"),
            ],
            builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

        using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout);

        Assert.Equal("selfsigned", await socket.AskAsync("whoami", _timeout));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("validation of pool default", StringComparison.Ordinal) && e.Message.Contains("OFF", StringComparison.Ordinal));
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task EdgeCertificateFiles_Replaced_NewConnectionsGetTheNewCertificate()
    {
        await using var backend = await EchoServer.StartAsync("plain");
        var first = _certificates.Server("first");
        var (certificate, key) = _certificates.WritePem(first, "edge");

        // Kestrel rebinds the endpoint when its certificate files change: a fixed port, not port 0, keeps its address.
        await using var edge = await TestEdge.StartAsync(
        [
            new("Urls", ""),
            new("Kestrel:Endpoints:Https:Url", $"https://127.0.0.1:{FreePort.Next()}"),
            new("Kestrel:Endpoints:Https:Certificate:Path", certificate),
            new("Kestrel:Endpoints:Https:Certificate:KeyPath", key),
            new("WsOrleans:Pools:default:Backends:0:Address", backend.WebSocketAddress.ToString()),
        ]);
        Assert.Equal(first.Thumbprint, (await PresentedCertificateAsync(edge)).Thumbprint);

        var second = _certificates.Server("second");
        _certificates.WritePem(second, "edge");

        // While Kestrel rebinds the endpoint a connection may be refused: that is "not yet", not a failure.
        await Eventually.Until(
            async () =>
            {
                try
                {
                    return (await PresentedCertificateAsync(edge)).Thumbprint;
                }
                catch (HttpRequestException e)
                {
                    return e.Message;
                }
            },
            thumbprint => thumbprint == second.Thumbprint,
            "the edge to present the replaced certificate");
    }

    private async Task<ClientWebSocket> ConnectTrustingTheTestCaAsync(Uri uri) =>
        await WebSocketClient.ConnectAsync(uri, _timeout, options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) => _certificates.Trusts(certificate));

    private async Task<X509Certificate2> PresentedCertificateAsync(TestEdge edge)
    {
        X509Certificate2? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                return true;
            } },
        };
        using var http = new HttpClient(handler);
        using var _ = await http.GetAsync(new Uri(edge.HttpBase, "/not-a-pool"), _timeout);
        return presented!;
    }
}
