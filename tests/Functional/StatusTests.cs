using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>The management listener's view of the cluster follows the tunnels the edge carries, routed by the edge itself.</summary>
[Collection(EmbeddedEdgeCollection.Name)]
public sealed class StatusTests(EmbeddedEdgeFixture fixture) : StatusTestsBase(fixture);

/// <summary>The same, with every handshake routed by the silo's router (<c>Edge:RouteLocally=false</c>).</summary>
[Collection(SiloRoutedEdgeCollection.Name)]
public sealed class SiloRoutedStatusTests(SiloRoutedEdgeFixture fixture) : StatusTestsBase(fixture);

public abstract class StatusTestsBase(EmbeddedEdgeFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Status_ListsEveryPoolWithItsBackends()
    {
        // Each backend is unknown until its probes (Tcp, every 2 s, 2 in a row) have passed.
        var status = await Eventually.Until(
            () => fixture.Edge.StatusAsync(),
            s => s.Pools.Single(p => p.Name == "default").Backends.All(b => b.Health == "healthy"),
            "every backend of pool default healthy");

        Assert.Equal(["capped", "default", "empty", "wsonly"], status.Pools.Select(p => p.Name).Order());
        var pool = status.Pools.Single(p => p.Name == "default");
        Assert.Equal(("/ws", "LeastConnections", "forward", null), (pool.Path, pool.Strategy, pool.Http, pool.AffinityCookie));
        Assert.Equal("refuse", status.Pools.Single(p => p.Name == "wsonly").Http);
        Assert.Equal(["a", "b", "c"], pool.Backends.Select(b => b.Id));
        Assert.All(pool.Backends, b => Assert.Equal(("healthy", "active", 1, "tcp: connected", true, 0), (b.Health, b.AdminState, b.Weight, b.LastProbe, b.LastProbePassed, b.ConsecutiveFailures)));
        Assert.Equal(fixture.Backends["b"].WebSocketAddress.ToString().TrimEnd('/'), pool.Backends[1].Address);
    }

    [Fact]
    public async Task Status_LiveCountsRiseWithOpenTunnelsAndFallWhenTheyClose()
    {
        var before = await Eventually.Until(
            () => fixture.Edge.PoolAsync("default"),
            pool => pool.Backends.All(b => b.Connections == 0),
            "no tunnels left open by earlier tests");
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < 9; i++)
        {
            sockets.Add(await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout));
        }

        var open = await fixture.Edge.PoolCountingAsync("default", 9);
        Assert.Equal([3L, 3L, 3L], open.Backends.Select(b => b.Connections));
        Assert.Equal(9, open.Backends.Sum(b => b.TotalConnections) - before.Backends.Sum(b => b.TotalConnections));
        // The backends count a socket once they have sent its 101, which the client may see first.
        await Eventually.Until(
            () => Task.FromResult(fixture.Backends.OpenConnections),
            open => open.Values.All(count => count == 3),
            "each backend's own count of open sockets at 3");

        foreach (var socket in sockets)
        {
            await socket.CloseQuietlyAsync(_timeout);
        }

        await Eventually.Until(
            () => fixture.Edge.PoolAsync("default"),
            pool => pool.Backends.All(b => b.Connections == 0),
            "live connections back to 0 on every backend");
    }
}
