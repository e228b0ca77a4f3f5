using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Process level, Redis mode, what the README's failure table says of Redis going down: open
/// tunnels are untouched and new handshakes keep being routed by the grains already active (their
/// state is in memory); only changes that must be stored fail, with an answer that says so.
/// </summary>
public sealed class RedisOutageProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(3);
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task RedisKilled_OpenTunnelsKeepFlowing_HandshakesStillRouted_AdminChangeRefused()
    {
        await using var backends = await EchoBackends.StartAsync(2);
        await using var cluster = await ProcessCluster.StartAsync([.. backends.AsBackendsOf("default")]);
        using var clients = new ClientFleet();
        cluster.StartSilo();
        var edge = await cluster.StartEdgeAsync("edge-a", LeaseTime);
        await cluster.WaitForSilosAsync(edge, 1);
        var open = await clients.OpenAsync(edge.WebSocketUri("/ws"), 10, _timeout);

        await cluster.Redis.StopAsync();

        // Handshakes keep succeeding for longer than the edge's gateway-list refresh (5 s) and
        // several lease heartbeats, which all read or write nothing in Redis that routing needs.
        await using var stream = new HandshakeStream([edge.WebSocketUri("/ws")], perSecond: 20);
        await Eventually.Until(() => Task.FromResult(stream.Results.Count), n => n >= 150, "150 handshakes with Redis down", TimeSpan.FromSeconds(60));
        await stream.StopAsync();
        output.WriteLine($"{stream.Succeeded} of {stream.Results.Count} handshakes succeeded with Redis down");
        Assert.All(stream.Results, r => Assert.True(r.Succeeded, $"the handshake started at {r.Started} failed with Redis down"));

        foreach (var socket in open)
        {
            Assert.Equal("still here", await socket.AskAsync("still here", _timeout));
        }

        // A change the cluster must store cannot be made, and the answer says it was not.
        var admin = new AdminClient(edge.Management, apiKey: null);
        var change = await admin.PutBackendAsync("default", "c", """{ "address": "ws://127.0.0.1:1" }""", _timeout);
        output.WriteLine($"admin change with Redis down: {change.Code} {change.Detail}");
        Assert.Equal(503, change.Code);
        Assert.StartsWith("The cluster's storage is unavailable, so nothing was changed", change.Detail);
        Assert.DoesNotContain("Exc level", change.Detail);

        // The status still answers, without the silos (membership lives in Redis) and saying so.
        var status = await edge.StatusAsync();
        Assert.Null(status.Silos);
        Assert.Contains(status.Problems!, p => p.StartsWith("silos: the cluster's membership could not be read", StringComparison.Ordinal));
        Assert.DoesNotContain(ClusterStatus.Default(status).Backends, b => b.Id == "c");
        var cli = await CliRun.RunAsync(["status", "--edge", edge.Management.ToString()]);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("PROBLEMS\n  silos: the cluster's membership could not be read", cli.Output.ReplaceLineEndings("\n"));
    }
}
