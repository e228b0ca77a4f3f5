using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge.Connections;
using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// An edge whose cluster stops answering keeps routing from its last view of each pool, as a standalone proxy
/// would: least connections from the counts it last saw plus its own, hashing to the backend the cluster would
/// pick, never past what the cluster counts for it on a capped backend, and not at all on a pool that turns
/// degraded routing off. When the cluster is back, its next report makes the counts exact again.
/// </summary>
public sealed class DegradedRoutingTests(ITestOutputHelper output)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task ClusterGone_HandshakesKeepBeingRouted_ByTheEdgesLastView_CountsExactOnceItIsBack()
    {
        await using var backends = await EchoBackends.StartAsync(3);
        IEnumerable<KeyValuePair<string, string?>> pools =
        [
            new("WsOrleans:Pools:live:Path", "/live"),
            new("WsOrleans:Pools:live:HealthCheck:Mode", "None"),
            .. backends.AsBackendsOf("live"),
            new("WsOrleans:Pools:rooms:Path", "/rooms"),
            new("WsOrleans:Pools:rooms:Strategy", "Hash"),
            new("WsOrleans:Pools:rooms:HashKey", "query:room"),
            new("WsOrleans:Pools:rooms:HealthCheck:Mode", "None"),
            .. backends.AsBackendsOf("rooms"),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            new("WsOrleans:Pools:capped:HealthCheck:Mode", "None"),
            .. backends.AsBackendsOf("capped", "a"),
            new("WsOrleans:Pools:capped:Backends:0:MaxConnections", "10"),
            new("WsOrleans:Pools:strict:Path", "/strict"),
            new("WsOrleans:Pools:strict:DegradedRouting", "false"),
            new("WsOrleans:Pools:strict:HealthCheck:Mode", "None"),
            .. backends.AsBackendsOf("strict"),
        ];
        var silo = await TestSilo.StartAsync(pools);
        await using var edge = await TestEdge.StartAsync(
            [.. silo.ClientConfiguration, new("WsOrleans:Edge:RouteTimeout", "00:00:01"), new("WsOrleans:Edge:LeaseTime", "00:00:03")]);
        using var fleet = new ClientFleet();
        await fleet.OpenAsync(edge.WebSocketUri("/live"), 30, _timeout);
        var room = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/rooms?room=lobby"), _timeout);
        var lobby = await room.AskAsync("whoami", _timeout);
        await room.CloseQuietlyAsync(_timeout);
        var capped = await fleet.OpenAsync(edge.WebSocketUri("/capped"), 2, _timeout);
        await Eventually.Until(async () => (await edge.PoolAsync("live")).Connections.Values.Sum(), live => live == 30, "the cluster to count 30");
        var cappedOnA = edge.Services.GetRequiredService<EdgeConnections>().Find("capped", "a")!;
        await Eventually.Until(() => Task.FromResult(cappedOnA.CountedByCluster), counted => counted == 2, "a heartbeat to have reported the 2 connections to the capped backend");
        var ports = silo.Ports;

        await silo.DisposeAsync();
        await fleet.OpenAsync(edge.WebSocketUri("/live"), 30, _timeout);

        // Least connections from the last view (10 each) plus the edge's own: 20 each; a also holds the 2 of pool capped.
        var open = backends.OpenConnections;
        Assert.Equal([20, 20, 20], new[] { open["a"] - 2, open["b"], open["c"] }.Select(n => Math.Clamp(n, 19, 21) == n ? 20 : n));
        using (var again = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/rooms?room=lobby"), _timeout))
        {
            Assert.Equal(lobby, await again.AskAsync("whoami", _timeout));
            await again.CloseQuietlyAsync(_timeout);
        }

        var (cappedStatus, _) = await WebSocketClient.RefusedAsync(edge.WebSocketUri("/capped"), _timeout);
        var (strictStatus, _) = await WebSocketClient.RefusedAsync(edge.WebSocketUri("/strict"), _timeout);
        await capped[0].CloseQuietlyAsync(_timeout);
        using var replacing = await Eventually.Until(() => TryConnect(edge.WebSocketUri("/capped")), s => s is not null, "a slot the edge freed on the capped backend to be usable again");
        var status = await HttpStatusTextAsync(edge);
        var metrics = await PrometheusText.ScrapeAsync(edge.ManagementBase, _timeout);
        output.WriteLine(status);

        Assert.Equal(503, cappedStatus);
        Assert.Equal(503, strictStatus);
        using (var document = System.Text.Json.JsonDocument.Parse(status))
        {
            Assert.Contains("live", document.RootElement.GetProperty("degraded").EnumerateArray().Select(d => d.GetProperty("pool").GetString()));
            Assert.StartsWith("cluster: it did not answer", document.RootElement.GetProperty("problems")[0].GetString());
        }

        Assert.True(PrometheusText.Value(metrics, "wsorleans_edge_routing_degraded_total", "pool=\"live\"") >= 30, metrics);

        await using var back = await TestSilo.StartAsync(pools, ports: ports);
        var counted = await Eventually.Until(
            async () => (await TryPoolAsync(edge, "live"))?.Connections,
            live => live is not null && live.Values.Sum() == 60 && live.All(b => b.Value == backends.OpenConnections[b.Key] - (b.Key == "a" ? 2 : 0)),
            "the cluster, back, to count the edge's 60 connections exactly as the backends do",
            TimeSpan.FromSeconds(60));
        output.WriteLine($"counted again: {string.Join(", ", counted!)}");
        await Eventually.Until(() => HttpStatusTextAsync(edge), text => !text.Contains("\"degraded\"", StringComparison.Ordinal), "the edge to route through the cluster again");
    }

    private static async Task<string> HttpStatusTextAsync(TestEdge edge)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(edge.ManagementBase, "/status"));
    }

    private static async Task<PoolStatusView?> TryPoolAsync(TestEdge edge, string pool)
    {
        try
        {
            return (await edge.StatusAsync()).Pools.SingleOrDefault(p => p.Name == pool);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private async Task<ClientWebSocket?> TryConnect(Uri uri)
    {
        try
        {
            return await WebSocketClient.ConnectAsync(uri, _timeout);
        }
        catch (WebSocketException)
        {
            return null;
        }
    }
}
