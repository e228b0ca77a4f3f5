using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>Redis mode: membership and grain state outlive any silo.</summary>
public sealed class RedisModeTests
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    [Fact]
    public async Task SiloReplaced_PoolsKeptInRedis_EdgeReconnectsAndServesThem()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backends = await EchoBackends.StartAsync(2);
        var first = await TestSilo.StartAsync([new("WsOrleans:Pools:chat:Path", "/chat"), .. backends.AsBackendsOf("chat")], redis);
        await using var edge = await TestEdge.StartAsync(TestSilo.RedisClientConfiguration(redis));
        Assert.Equal(["a", "b"], (await edge.PoolAsync("chat")).Backends.Select(b => b.Id));

        // The only silo goes away; a new one, with no Pools of its own, takes over.
        await first.DisposeAsync();
        await using var second = await TestSilo.StartAsync([], redis);

        var pool = await Eventually.Until(
            () => TryPool(edge, "chat"),
            p => p is not null,
            "the edge to read pool 'chat' through the new silo",
            TimeSpan.FromSeconds(60));
        Assert.Equal(["a", "b"], pool!.Backends.Select(b => b.Id));
        using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/chat"), _timeout);
        Assert.Contains(await socket.AskAsync("whoami", _timeout), new[] { "a", "b" });
        await socket.CloseQuietlyAsync(_timeout);
    }

    private static async Task<PoolStatusView?> TryPool(TestEdge edge, string name)
    {
        try
        {
            return (await edge.StatusAsync()).Pools.SingleOrDefault(p => p.Name == name);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
