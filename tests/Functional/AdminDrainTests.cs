using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary><c>POST /pools/{pool}/backends/{id}/drain</c> and <c>/undrain</c>, across two edges.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminDrainTests(AdminFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Drain_NewConnectionsGoElsewhere_OpenOnesStay_CountFallsToZero_UndrainRestores()
    {
        var sockets = new Dictionary<string, ClientWebSocket>();
        var others = new List<ClientWebSocket>();
        try
        {
            // Least connections: three handshakes, one on each backend.
            for (var i = 0; i < 3; i++)
            {
                var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/drain"), _timeout);
                sockets.Add(await socket.AskAsync("whoami", _timeout), socket);
            }

            Assert.Equal(["a", "b", "c"], sockets.Keys.Order());

            var drained = await fixture.AdminOf(fixture.First).DrainAsync("drain", "a", _timeout);

            Assert.Equal(200, drained.Code);
            Assert.Equal(("a", "draining", 1L), (drained.As<BackendStatusView>().Id, drained.As<BackendStatusView>().AdminState, drained.As<BackendStatusView>().Connections));
            var seenBySecond = (await fixture.Second.PoolAsync("drain")).Backends.Single(b => b.Id == "a");
            Assert.Equal(("draining", 1L), (seenBySecond.AdminState, seenBySecond.Connections));

            // a has the fewest connections, yet no new one lands there, through either edge.
            for (var i = 0; i < 6; i++)
            {
                var edge = i % 2 == 0 ? fixture.Second : fixture.First;
                var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/drain"), _timeout);
                others.Add(socket);
                Assert.NotEqual("a", await socket.AskAsync("whoami", _timeout));
            }

            Assert.Equal("still open", await sockets["a"].AskAsync("still open", _timeout));
            await sockets["a"].CloseQuietlyAsync(_timeout);
            sockets.Remove("a");
            await Eventually.Until(
                () => fixture.Second.PoolAsync("drain"),
                pool => pool.Backends.Single(b => b.Id == "a") is { AdminState: "draining", Connections: 0 },
                "a draining with 0 connections");

            var undrained = await fixture.AdminOf(fixture.Second).UndrainAsync("drain", "a", _timeout);

            Assert.Equal(200, undrained.Code);
            Assert.Equal("active", undrained.As<BackendStatusView>().AdminState);
            // The backend grain refuses a drained backend at once; an undrain reaches the routers with their next
            // read of the pool, within 20 ms: a, with the fewest connections, takes the next handshakes from then on.
            var next = await Eventually.Until(
                async () =>
                {
                    var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/drain"), _timeout);
                    others.Add(socket);
                    return await socket.AskAsync("whoami", _timeout);
                },
                backend => backend == "a",
                "a new connection on a once undrained");
            Assert.Equal("a", next);
        }
        finally
        {
            await Task.WhenAll(sockets.Values.Concat(others).Select(s => s.CloseQuietlyAsync(_timeout)));
        }
    }

    [Fact]
    public async Task Drain_Twice_Is200BothTimes()
    {
        var admin = fixture.AdminOf(fixture.First);

        Assert.Equal(200, (await admin.DrainAsync("refusals", "b", _timeout)).Code);
        Assert.Equal(200, (await admin.DrainAsync("refusals", "b", _timeout)).Code);
        Assert.Equal("draining", (await fixture.Second.PoolAsync("refusals")).Backends.Single(b => b.Id == "b").AdminState);
        Assert.Equal(200, (await admin.UndrainAsync("refusals", "b", _timeout)).Code);
    }

    [Theory]
    [InlineData("/pools/nowhere/backends/a/drain", "no pool 'nowhere'")]
    [InlineData("/pools/refusals/backends/zz/drain", "Pool 'refusals' has no backend 'zz'")]
    [InlineData("/pools/refusals/backends/zz/undrain", "Pool 'refusals' has no backend 'zz'")]
    public async Task Drain_Unknown_Is404(string path, string detail)
    {
        var response = await fixture.AdminOf(fixture.First).SendAsync(HttpMethod.Post, path, cancellationToken: _timeout);

        Assert.Equal(404, response.Code);
        Assert.Contains(detail, response.Detail);
    }
}
