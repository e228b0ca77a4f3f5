using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.EchoBackend;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Active probes and passive checks, seen through /status and real handshakes. One embedded edge with
/// a pool per situation; <c>r</c> is an echo server that answers every WebSocket handshake with 500.
/// </summary>
public sealed class HealthCheckTests(HealthCheckTests.Fixture fixture) : IClassFixture<HealthCheckTests.Fixture>
{
    private static readonly HttpClient Http = new();
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Theory]
    [InlineData("passive")]
    [InlineData("passivetcp")]
    public async Task PassiveChecks_BackendAnswering500_IsEjected_AndEveryClientIsServedByTheOther(string pool)
    {
        // "passive" has no probes; "passivetcp" probes with Tcp, which r passes: only the edges' reports eject it.
        for (var i = 0; i < 10; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/" + pool), _timeout);
            Assert.Equal("a", await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }

        // The failures are reported one-way: wait for the last of them to be counted.
        var r = (await Eventually.Until(
            () => fixture.Edge.PoolAsync(pool),
            p => p.Backends.Single(b => b.Id == "r").Health == "unhealthy",
            "r ejected by the edge's failure reports")).Backends.Single(b => b.Id == "r");
        Assert.Contains("500", r.LastProbe);
        Assert.False(r.LastProbePassed);
    }

    [Fact]
    public async Task WebSocketProbe_BackendAnswering500_IsEjectedWithoutAnyClient()
    {
        var pool = await Eventually.Until(
            () => fixture.Edge.PoolAsync("probed"),
            p => p.Backends.Single(b => b.Id == "r").Health == "unhealthy" && p.Backends.Single(b => b.Id == "a").Health == "healthy",
            "r unhealthy and a healthy by the WebSocket probe");

        var r = pool.Backends.Single(b => b.Id == "r");
        Assert.StartsWith("websocket:", r.LastProbe);
        Assert.Contains("500", r.LastProbe);
        Assert.True(r.ConsecutiveFailures >= 2, $"consecutive failures: {r.ConsecutiveFailures}");
        Assert.Equal("websocket: handshake and close ok", pool.Backends.Single(b => b.Id == "a").LastProbe);
    }

    [Fact]
    public async Task HttpProbe_HealthPageAndDeadAddress_HealthyAndUnhealthy_AndClientsNeverReachTheDeadOne()
    {
        // Before the probes have decided, the dead backend is Unknown and routed to: the edge retries.
        for (var i = 0; i < 6; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/http"), _timeout);
            Assert.Equal("a", await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }

        var pool = await Eventually.Until(
            () => fixture.Edge.PoolAsync("http"),
            p => p.Backends.Single(b => b.Id == "dead").Health == "unhealthy" && p.Backends.Single(b => b.Id == "a").Health == "healthy",
            "dead unhealthy and a healthy by the Http probe");
        Assert.Equal("http: 200", pool.Backends.Single(b => b.Id == "a").LastProbe);
    }

    [Fact]
    public async Task AllBackendsUnhealthy_HandshakeGets503WithRetryAfter_AndTheEdgeSaysSoInItsLog()
    {
        await Eventually.Until(
            () => fixture.Edge.PoolAsync("solo"),
            p => p.Backends.Single().Health == "unhealthy",
            "the only backend of pool solo to be unhealthy");

        var (status, headers) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/solo"), _timeout);

        Assert.Equal(503, status);
        Assert.Equal("5", headers["Retry-After"].Single());
        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Error && e.Message == "Every backend of pool solo is unhealthy: requests get 503");
    }

    [Fact]
    public async Task OnlyBackendAnswers500_RetriesFindNoOther_ClientGetsThe500_AndTheRetryIsCounted()
    {
        var (status, _) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/lonely"), _timeout);

        Assert.Equal(500, status);
        var metrics = await PrometheusText.ScrapeAsync(fixture.Edge.ManagementBase, _timeout);
        Assert.True(PrometheusText.Value(metrics, "wsorleans_edge_handshakes_total", "pool=\"lonely\",result=\"retried\"") > 0, metrics);
    }

    [Fact]
    public async Task WssBackend_ProbesCheckItsCertificateAsTheEdgesDo()
    {
        var pool = await Eventually.Until(
            () => fixture.Edge.PoolAsync("secure"),
            p => p.Backends.Single(b => b.Id == "trusted").Health == "healthy" && p.Backends.Single(b => b.Id == "stranger").Health == "unhealthy",
            "the backend whose certificate chains to the pool's CA healthy, the other one unhealthy");

        Assert.Equal("websocket: handshake and close ok", pool.Backends.Single(b => b.Id == "trusted").LastProbe);
        var stranger = pool.Backends.Single(b => b.Id == "stranger").LastProbe;
        Assert.StartsWith("websocket:", stranger);
        Assert.Contains("certificate", stranger, StringComparison.OrdinalIgnoreCase);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestCertificates _certificates = new();
        private readonly TestCertificates _strangers = new("Someone else's CA");
        private EchoServer _a = null!;
        private EchoServer _r = null!;
        private EchoServer _trusted = null!;
        private EchoServer _stranger = null!;

        internal TestEdge Edge { get; private set; } = null!;

        internal CapturingLoggerProvider Logs { get; } = new();

        public async Task InitializeAsync()
        {
            _a = await EchoServer.StartAsync("a");
            _r = await EchoServer.StartAsync(new EchoServerOptions { Id = "r", RejectHandshakes = true });
            _trusted = await EchoServer.StartAsync(new EchoServerOptions { Id = "trusted", Url = "https://127.0.0.1:0", Certificate = _certificates.Server() });
            _stranger = await EchoServer.StartAsync(new EchoServerOptions { Id = "stranger", Url = "https://127.0.0.1:0", Certificate = _strangers.Server() });
            var a = _a.WebSocketAddress.ToString().TrimEnd('/');
            var r = _r.WebSocketAddress.ToString().TrimEnd('/');
            Edge = await TestEdge.StartAsync(
            [
                .. Pool("passive", "None", ("a", a), ("r", r)),
                new("WsOrleans:Pools:passive:Strategy", "RoundRobin"),
                new("WsOrleans:Pools:passive:HealthCheck:Interval", "00:01:00"),
                .. Pool("passivetcp", "Tcp", ("a", a), ("r", r)),
                new("WsOrleans:Pools:passivetcp:Strategy", "RoundRobin"),
                new("WsOrleans:Pools:passivetcp:HealthCheck:Interval", "00:01:00"),
                .. Pool("probed", "WebSocket", ("a", a), ("r", r)),
                .. Pool("http", "Http", ("a", a), ("dead", $"ws://127.0.0.1:{FreePort.Next()}")),
                new("WsOrleans:Pools:http:Strategy", "RoundRobin"),
                .. Pool("solo", "WebSocket", ("r", r)),
                .. Pool("lonely", "None", ("r", r)),
                new("WsOrleans:Pools:lonely:HealthCheck:UnhealthyThreshold", "100"),
                .. Pool("secure", "WebSocket", ("trusted", _trusted.WebSocketAddress.ToString().TrimEnd('/')), ("stranger", _stranger.WebSocketAddress.ToString().TrimEnd('/'))),
                new("WsOrleans:Pools:secure:BackendTls:CaFile", _certificates.CaFile),
            ], builder => builder.Services.AddSingleton<ILoggerProvider>(Logs));
        }

        public async Task DisposeAsync()
        {
            await Edge.DisposeAsync();
            await _a.DisposeAsync();
            await _r.DisposeAsync();
            await _trusted.DisposeAsync();
            await _stranger.DisposeAsync();
            _certificates.Dispose();
            _strangers.Dispose();
        }

        private static IEnumerable<KeyValuePair<string, string?>> Pool(string name, string mode, params (string Id, string Address)[] backends)
        {
            var prefix = $"WsOrleans:Pools:{name}:";
            yield return new(prefix + "Path", "/" + name);
            yield return new(prefix + "HealthCheck:Mode", mode);
            yield return new(prefix + "HealthCheck:Interval", "00:00:00.200");
            yield return new(prefix + "HealthCheck:Timeout", "00:00:00.500");
            for (var i = 0; i < backends.Length; i++)
            {
                yield return new($"{prefix}Backends:{i}:Id", backends[i].Id);
                yield return new($"{prefix}Backends:{i}:Address", backends[i].Address);
            }
        }
    }
}
