using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>Run-time changes live in the grains: an edge that restarts, carrying the same <c>Pools</c> section, keeps them.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminRestartTests(AdminFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task ChangesMadeThroughAnEdge_SurviveItsRestart()
    {
        var c = fixture.Backends["c"].WebSocketAddress.ToString().TrimEnd('/');
        int version;
        await using (var edge = await TestEdge.StartAsync([.. fixture.EdgeConfiguration, .. fixture.Pools]))
        {
            var admin = fixture.AdminOf(edge);
            Assert.Equal(200, (await admin.DrainAsync("restart", "a", _timeout)).Code);
            Assert.Equal(201, (await admin.PutBackendAsync("restart", "c", $$"""{ "address": "{{c}}", "weight": 2 }""", _timeout)).Code);
            Assert.Equal(200, (await admin.PutStrategyAsync("restart", """{ "strategy": "LeastConnections" }""", _timeout)).Code);
            version = (await edge.PoolAsync("restart")).Version;
        }

        // A new edge process: it seeds the same Pools section again, which must change nothing.
        await using var restarted = await TestEdge.StartAsync([.. fixture.EdgeConfiguration, .. fixture.Pools]);

        var pool = await restarted.PoolAsync("restart");
        Assert.Equal(("LeastConnections", version), (pool.Strategy, pool.Version));
        Assert.Equal(
            [("a", 1, "draining"), ("b", 1, "active"), ("c", 2, "active")],
            pool.Backends.Select(b => (b.Id, b.Weight, b.AdminState)));
        for (var i = 0; i < 4; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(restarted.WebSocketUri("/restart"), _timeout);
            Assert.NotEqual("a", await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }
    }
}
