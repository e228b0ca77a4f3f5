using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>Strategies hold across edges because the state lives in the grains, not in any one edge.</summary>
[Collection(TwoEdgesCollection.Name)]
public sealed class TwoEdgesTests(TwoEdgesFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task LeastConnections_300ConnectionsAlternatingBetweenEdges_Leave100PerBackend()
    {
        await WaitForNoTunnels("default");
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var edge = i % 2 == 0 ? fixture.First : fixture.Second;
                sockets.Add(await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout));
            }

            // The backends' own socket counts are the truth (they count a socket once its 101 is sent,
            // which the client may see first); the grains must agree, seen from either edge.
            var truth = await Eventually.Until(
                () => Task.FromResult(fixture.Backends.OpenConnections),
                open => open.Values.Sum() == 300,
                "the backends to count all 300 sockets");
            Assert.All(truth.Values, open => Assert.InRange(open, 99, 101));
            var fromFirst = await fixture.First.PoolCountingAsync("default", 300);
            var fromSecond = await fixture.Second.PoolAsync("default");
            Assert.Equal(truth.ToDictionary(kv => kv.Key, kv => (long)kv.Value), fromFirst.Connections);
            Assert.Equal(fromFirst.Connections, fromSecond.Connections);
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync(_timeout)));
        }

        await WaitForNoTunnels("default");
    }

    [Fact]
    public async Task Sticky_ReconnectThroughTheOtherEdge_LandsOnTheSameBackend()
    {
        for (var session = 0; session < 6; session++)
        {
            var uri = $"/sticky?session=user-{session}";
            using var first = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri(uri), _timeout);
            var boundTo = await first.AskAsync("whoami", _timeout);
            await first.CloseQuietlyAsync(_timeout);

            using var again = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri(uri), _timeout);
            Assert.Equal(boundTo, await again.AskAsync("whoami", _timeout));
            await again.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task Sticky_DifferentSessions_SpreadOverBackends()
    {
        var seen = new HashSet<string>();
        var sockets = new List<ClientWebSocket>();
        for (var session = 0; session < 6; session++)
        {
            var edge = session % 2 == 0 ? fixture.First : fixture.Second;
            var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri($"/sticky?session=spread-{session}"), _timeout);
            sockets.Add(socket);
            seen.Add(await socket.AskAsync("whoami", _timeout));
        }

        await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync(_timeout)));
        Assert.Equal(["a", "b", "c"], seen.Order());
    }

    [Fact]
    public async Task Hash_SameRoomThroughEitherEdge_SameBackend()
    {
        foreach (var room in new[] { "lobby", "games", "ops", "random" })
        {
            using var viaFirst = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri($"/rooms?room={room}"), _timeout);
            using var viaSecond = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri($"/rooms?room={room}"), _timeout);

            Assert.Equal(await viaFirst.AskAsync("whoami", _timeout), await viaSecond.AskAsync("whoami", _timeout));
            await viaFirst.CloseQuietlyAsync(_timeout);
            await viaSecond.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task EdgesWithoutPoolsOfTheirOwn_ServeThePoolsTheClusterKnows()
    {
        var status = await fixture.Second.StatusAsync();

        Assert.Equal(["capped", "default", "pinned", "pinned2", "rooms", "sticky"], status.Pools.Select(p => p.Name).Order());
        Assert.Equal(["capped", "default", "pinned", "pinned2", "rooms", "sticky"], (await fixture.First.StatusAsync()).Pools.Select(p => p.Name).Order());
    }

    [Fact]
    public async Task MaxConnections_CapsOf10And30AcrossBothEdges_41stGets503_ClosingOneAdmitsOneMore()
    {
        await WaitForNoTunnels("capped");
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var edge = i % 2 == 0 ? fixture.First : fixture.Second;
                sockets.Add(await WebSocketClient.ConnectAsync(edge.WebSocketUri("/capped"), _timeout));
            }

            var (status, headers) = await WebSocketClient.RefusedAsync(fixture.Second.WebSocketUri("/capped"), _timeout);
            Assert.Equal(503, status);
            Assert.Equal("5", headers["Retry-After"].Single());
            var counts = (await fixture.First.PoolCountingAsync("capped", 40)).Connections;
            Assert.Equal(new Dictionary<string, long> { ["a"] = 10, ["b"] = 30 }, counts);

            await sockets[0].CloseQuietlyAsync(_timeout);
            var admitted = await Eventually.Until(
                () => TryConnect(fixture.First.WebSocketUri("/capped")),
                socket => socket is not null,
                "one more connection to be admitted once one closed");
            sockets.Add(admitted!);
            Assert.Equal((503, "5"), await RefusedAsync(fixture.First.WebSocketUri("/capped")));
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync(_timeout)));
        }

        await WaitForNoTunnels("capped");
    }

    private async Task<(int Status, string RetryAfter)> RefusedAsync(Uri uri)
    {
        var (status, headers) = await WebSocketClient.RefusedAsync(uri, _timeout);
        return (status, headers.TryGetValue("Retry-After", out var value) ? value.Single() : "");
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

    private Task WaitForNoTunnels(string pool) => Eventually.Until(
        () => fixture.First.PoolAsync(pool),
        p => p.Backends.All(b => b.Connections == 0),
        $"no tunnels open in pool {pool}");
}
