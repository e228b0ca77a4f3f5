using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>An edge that stops closes its tunnels the WebSocket way and tells the cluster at once.</summary>
public sealed class ShutdownTests
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task EdgeStopping_ClientsGetClose1001_AndTheirCountsAreReleasedAtOnce()
    {
        await using var backends = await EchoBackends.StartAsync(2);
        await using var silo = await TestSilo.StartAsync([.. backends.AsBackendsOf("default")]);
        await using var observer = await TestEdge.StartAsync(silo.ClientConfiguration);
        var stopping = await TestEdge.StartAsync([.. silo.ClientConfiguration, new("WsOrleans:Edge:DrainWindow", "00:00:01")]);

        var clients = new List<ClientWebSocket>();
        for (var i = 0; i < 4; i++)
        {
            var client = await WebSocketClient.ConnectAsync(stopping.WebSocketUri("/ws"), _timeout);
            Assert.Equal("hi", await client.AskAsync("hi", _timeout));
            clients.Add(client);
        }

        await Eventually.Until(() => observer.PoolAsync("default"), p => p.Backends.Sum(b => b.Connections) == 4, "4 live connections");
        var stop = stopping.DisposeAsync().AsTask();
        using var http = new HttpClient();
        await Eventually.Until(
            async () => (int)(await http.GetAsync(new Uri(stopping.ManagementBase, "/ready"))).StatusCode,
            status => status == 503,
            "readiness to turn false as soon as the edge begins to stop");

        foreach (var client in clients)
        {
            var (type, _) = await client.ReceiveMessageAsync(_timeout);
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal(((WebSocketCloseStatus)1001, "edge shutting down"), (client.CloseStatus, client.CloseStatusDescription));
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", _timeout);
        }

        await stop;
        await Eventually.Until(
            () => observer.PoolAsync("default"),
            p => p.Backends.Sum(b => b.Connections) == 0,
            "the stopped edge's connections released in the cluster (not after a lease)",
            TimeSpan.FromSeconds(5));
        await Eventually.Until(
            () => Task.FromResult(backends.OpenConnections.Values.Sum()),
            open => open == 0,
            "the backends to see their sockets closed");
    }
}
