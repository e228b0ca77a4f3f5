using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>GET /metrics: Prometheus text whose numbers follow the traffic.</summary>
public sealed class MetricsTests
{
    private static readonly HttpClient Http = new();
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Metrics_AfterTraffic_EveryInstrumentIsPresentAndMoving()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var edge = await TestEdge.StartAsync([.. backends.AsBackendsOf("default"), new("WsOrleans:Pools:empty:Path", "/empty")]);
        var before = await ScrapeAsync(edge);

        using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ping", await socket.AskAsync("ping", _timeout));
        }

        await WebSocketClient.RefusedAsync(edge.WebSocketUri("/empty"), _timeout);
        // A tunnel's counts follow its bytes (added once written): the last echo can reach the client first.
        var open = await Eventually.Until(
            () => ScrapeAsync(edge),
            text => Value(text, "wsorleans_edge_tunnel_messages_total", "direction=\"to_client\"") >= 3,
            "the three echoes counted while the tunnel is open");
        await socket.CloseQuietlyAsync(_timeout);
        var closed = await Eventually.Until(
            () => ScrapeAsync(edge),
            text => Value(text, "wsorleans_edge_tunnel_duration_seconds_count", "pool=\"default\"") >= 1,
            "the tunnel's duration recorded once it closed");

        Assert.Equal(0, Value(before, "wsorleans_edge_handshakes_total", "result=\"ok\""));
        Assert.Equal(1, Value(open, "wsorleans_edge_handshakes_total", "pool=\"default\",result=\"ok\""));
        Assert.Equal(1, Value(open, "wsorleans_edge_handshakes_total", "pool=\"empty\",result=\"503\""));
        Assert.Equal(1, Value(open, "wsorleans_edge_connections_active", "backend=\"a\""));
        Assert.Equal(0, Value(closed, "wsorleans_edge_connections_active", "backend=\"a\""));
        Assert.True(Value(open, "wsorleans_edge_routing_duration_seconds_count", "pool=\"default\"") >= 1);
        Assert.Equal(3, Value(open, "wsorleans_edge_tunnel_messages_total", "direction=\"to_backend\""));
        Assert.Equal(3, Value(open, "wsorleans_edge_tunnel_messages_total", "direction=\"to_client\""));
        Assert.True(Value(closed, "wsorleans_edge_tunnel_bytes_total", "direction=\"to_backend\"") >= 3 * (4 + 6));
    }

    [Fact]
    public async Task BackendHealth_IsAStateSet_FollowingTheProbes()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var edge = await TestEdge.StartAsync(
        [
            .. backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:default:Backends:1:Id", "dead"),
            new("WsOrleans:Pools:default:Backends:1:Address", $"ws://127.0.0.1:{FreePort.Next()}"),
            new("WsOrleans:Pools:default:HealthCheck:Interval", "00:00:00.200"),
        ]);

        var text = await Eventually.Until(
            () => ScrapeAsync(edge),
            t => Value(t, "wsorleans_backend_health", "backend=\"a\",pool=\"default\",state=\"healthy\"") == 1
                && Value(t, "wsorleans_backend_health", "backend=\"dead\",pool=\"default\",state=\"unhealthy\"") == 1,
            "a healthy and the dead backend unhealthy in /metrics");

        Assert.Equal(1, Value(text, "wsorleans_backend_health", "backend=\"a\",pool=\"default\""));
        Assert.Equal(1, Value(text, "wsorleans_backend_health", "backend=\"dead\",pool=\"default\""));
    }

    [Fact]
    public async Task Metrics_OfAnotherEdgeInTheSameProcess_AreNotCounted()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var busy = await TestEdge.StartAsync(backends.AsBackendsOf("default"));
        await using var quiet = await TestEdge.StartAsync(backends.AsBackendsOf("default"));

        using var socket = await WebSocketClient.ConnectAsync(busy.WebSocketUri("/ws"), _timeout);
        Assert.Equal("ping", await socket.AskAsync("ping", _timeout));

        Assert.Equal(1, Value(await ScrapeAsync(busy), "wsorleans_edge_handshakes_total", "result=\"ok\""));
        Assert.Equal(0, Value(await ScrapeAsync(quiet), "wsorleans_edge_handshakes_total", "result=\"ok\""));
        Assert.Equal(0, Value(await ScrapeAsync(quiet), "wsorleans_edge_connections_active", "pool=\"default\""));
    }

    [Fact]
    public async Task Ready_WhileRunning_Is200()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var edge = await TestEdge.StartAsync(backends.AsBackendsOf("default"));

        using var response = await Http.GetAsync(new Uri(edge.ManagementBase, "/ready"), _timeout);

        Assert.Equal(200, (int)response.StatusCode);
    }

    private static Task<string> ScrapeAsync(TestEdge edge) => PrometheusText.ScrapeAsync(edge.ManagementBase);

    private static double Value(string text, string metric, string labels) => PrometheusText.Value(text, metric, labels);
}
