using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;
using static WsOrleans.Tests.Functional.Infrastructure.ClusterStatus;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Process level, Redis mode: silos join and die under a steady stream of handshakes. Configuration
/// lives in Redis; counts lost with a silo come back from the edges' heartbeat reports.
/// </summary>
public sealed class SiloFailureProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Heartbeat = LeaseTime / 3;

    [Fact]
    public async Task ThirdSiloJoinsThenRoutingGrainSiloKilled_DuringHandshakes_RoutingResumesWithin5s_ConfigurationKept_CountsReconverge()
    {
        await using var backends = await EchoBackends.StartAsync(3);
        await using var cluster = await ProcessCluster.StartAsync([new("WsOrleans:Pools:default:Strategy", "LeastConnections"), .. backends.AsBackendsOf("default")]);
        cluster.StartSilo();
        cluster.StartSilo();
        var edges = await Task.WhenAll(cluster.StartEdgeAsync("edge-a", LeaseTime), cluster.StartEdgeAsync("edge-b", LeaseTime));
        var (a, b) = (edges[0], edges[1]);
        await cluster.WaitForSilosAsync(a, 2);
        var before = Default((await a.TryStatusAsync())!);

        // Exactly one silo activated the routing grain and seeded the pool; the other found it seeded.
        var host = Assert.Single(cluster.Silos, s => s.Process.Output.Contains("Pool default seeded"));

        await using var stream = new HandshakeStream([a.WebSocketUri("/ws"), b.WebSocketUri("/ws")], perSecond: 50);
        await Eventually.Until(() => Task.FromResult(stream.Succeeded), n => n >= 50, "50 handshakes through both edges");

        // A third silo joins mid-run: nothing breaks.
        cluster.StartSilo();
        await cluster.WaitForSilosAsync(a, 3);
        var joined = stream.Now;
        await Eventually.Until(() => Task.FromResult(stream.Results.Count(r => r.Started > joined)), n => n >= 50, "50 more handshakes after the third silo joined");
        Assert.All(stream.Results, r => Assert.True(r.Succeeded, $"handshake started at {r.Started} failed before any silo died"));

        // SIGKILL the silo that hosts the routing grain.
        var killed = stream.Now;
        host.Process.Kill();
        await Eventually.Until(
            () => Task.FromResult(stream.Results.Where(r => r.Started > killed).OrderBy(r => r.Started).TakeLast(25).ToList()),
            last => last.Count == 25 && last.All(r => r.Succeeded),
            "25 handshakes in a row to succeed after the silo was killed",
            TimeSpan.FromSeconds(60));
        await stream.StopAsync();

        var afterKill = stream.Results.Where(r => r.Started > killed).OrderBy(r => r.Started).ToList();
        var lastFailure = afterKill.LastOrDefault(r => !r.Succeeded);
        var resumedAfter = lastFailure == default ? TimeSpan.Zero : afterKill.First(r => r.Started > lastFailure.Started).Started - killed;
        output.WriteLine($"routing resumed {resumedAfter.TotalSeconds:0.0} s after the silo was killed; {afterKill.Count(r => !r.Succeeded)} of {afterKill.Count} handshakes started after it failed");
        Assert.True(resumedAfter <= TimeSpan.FromSeconds(5), $"routing resumed {resumedAfter.TotalSeconds:0.0} s after the silo died; {afterKill.Count(r => !r.Succeeded)} of {afterKill.Count} handshakes failed");

        // No configuration lost: the pool and its backends come from Redis.
        var stopped = stream.Now;
        var recovered = await UntilCountsMatchBackends(a, backends, stream.OpenCount, $"the counts to reconverge to the {stream.OpenCount} open sockets");
        output.WriteLine($"counts matched the backends' own {(stream.Now - stopped).TotalSeconds:0.0} s after the last handshake ended (heartbeat every {Heartbeat.TotalSeconds:0.#} s)");
        output.WriteLine($"after recovery: {Describe(recovered)}");
        var pool = Default(recovered);
        Assert.Equal((before.Strategy, before.Version), (pool.Strategy, pool.Version));
        Assert.Equal(before.Backends.Select(x => (x.Id, x.Address)), pool.Backends.Select(x => (x.Id, x.Address)));
        await Eventually.Until(
            a.TryStatusAsync,
            s => s?.Silos.Count(x => x.Status == "active") == 2,
            $"the two surviving silos to be listed active (silo output: {string.Join("\n---\n", cluster.Silos.Select(x => x.Process.Output))})");
        await Eventually.Until(
            () => b.StatusAsync(),
            s => Counts(s).SequenceEqual(Counts(recovered)),
            $"edge b's /status to agree with edge a's: {Describe(recovered)}");
    }
}
