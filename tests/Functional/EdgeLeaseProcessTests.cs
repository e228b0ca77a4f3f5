using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;
using static WsOrleans.Tests.Functional.Infrastructure.ClusterStatus;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Process level, Redis mode: two silo processes, edge processes and three echo backends. The cluster
/// counts each edge's connections while the edge holds its lease, forgets them when a killed edge's
/// lease lapses, and at once when an edge stops gracefully.
/// </summary>
public sealed class EdgeLeaseProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(3);
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;

    [Fact]
    public async Task TwoSilosTwoEdges_600Connections_Balance_KilledEdgeReleasedWithinLease_StoppedEdgeReleasedAtOnce()
    {
        await using var backends = await EchoBackends.StartAsync(3);
        await using var cluster = await ProcessCluster.StartAsync([new("WsOrleans:Pools:default:Strategy", "LeastConnections"), .. backends.AsBackendsOf("default")]);
        using var clients = new ClientFleet();
        cluster.StartSilo();
        cluster.StartSilo();

        // Edge c holds a long lease: when its connections go, it is not because its lease lapsed.
        var edges = await Task.WhenAll(
            cluster.StartEdgeAsync("edge-a", LeaseTime),
            cluster.StartEdgeAsync("edge-b", LeaseTime),
            cluster.StartEdgeAsync("edge-c", TimeSpan.FromMinutes(1)));
        var (a, b, c) = (edges[0], edges[1], edges[2]);
        await cluster.WaitForSilosAsync(a, 2);

        // 600 connections, half through each of two edges, at the same time.
        await Task.WhenAll(clients.OpenAsync(a.WebSocketUri("/ws"), 300, _timeout), clients.OpenAsync(b.WebSocketUri("/ws"), 300, _timeout));
        var seenByA = await UntilCountsMatchBackends(a, backends, 600, "600 connections counted as the backends count them");
        await AssertBalancedAsync(seenByA, a, b);
        seenByA = await Eventually.Until(
            () => a.StatusAsync(),
            s => EdgeConnections(s).SequenceEqual([("edge-a", 300L), ("edge-b", 300L), ("edge-c", 0L)]),
            "each edge's heartbeat to report the connections it carries");
        var seenByB = await Eventually.Until(
            () => b.StatusAsync(),
            s => Counts(s).SequenceEqual(Counts(seenByA)) && EdgeConnections(s).SequenceEqual(EdgeConnections(seenByA)),
            $"edge b's /status to agree with edge a's: {Describe(seenByA)}");
        Assert.Equal(2, seenByB.Silos.Count(s => s.Status == "active"));
        Assert.All(Default(seenByB).Backends, backend => Assert.Equal(backend.Connections, backend.ConnectionsByEdge!.Values.Sum()));

        // SIGKILL edge b: its lease lapses and the backends' counts drop to what edge a still carries.
        var killed = System.Diagnostics.Stopwatch.StartNew();
        b.Process.Kill();
        var afterKill = await UntilCountsMatchBackends(a, backends, 300, "edge b's connections released when its lease lapsed", LeaseTime + TimeSpan.FromSeconds(10));
        output.WriteLine($"edge b's connections were released {killed.Elapsed.TotalSeconds:0.0} s after SIGKILL (lease {LeaseTime.TotalSeconds:0} s)");
        Assert.DoesNotContain(afterKill.Edges, e => e.Id == "edge-b");
        Assert.Equal([("edge-a", 300L), ("edge-c", 0L)], EdgeConnections(afterKill));

        // New connections fill the backends back to balance.
        await clients.OpenAsync(a.WebSocketUri("/ws"), 300, _timeout);
        var refilled = await UntilCountsMatchBackends(a, backends, 600, "600 connections through edge a alone");
        await AssertBalancedAsync(refilled, a);

        // SIGTERM edge c: its clients get 1001 and its connections are released at once, long before its lease.
        var onC = await clients.OpenAsync(c.WebSocketUri("/ws"), 30, _timeout);
        await UntilCountsMatchBackends(a, backends, 630, "edge c's 30 connections counted");
        var terminated = System.Diagnostics.Stopwatch.StartNew();
        c.Process.Terminate();
        foreach (var client in onC)
        {
            var (type, _) = await client.ReceiveMessageAsync(_timeout);
            Assert.Equal((WebSocketMessageType.Close, (WebSocketCloseStatus)1001), (type, client.CloseStatus!.Value));
        }

        await UntilCountsMatchBackends(a, backends, 600, "edge c's connections released when it stopped", TimeSpan.FromSeconds(10));
        output.WriteLine($"edge c's connections were released {terminated.Elapsed.TotalSeconds:0.0} s after SIGTERM (drain window 1 s, lease 60 s)");
        await Eventually.Until(() => a.StatusAsync(), s => s.Edges.All(e => e.Id != "edge-c"), "edge c to leave the edge registry once drained", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await c.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// Least connections keeps the three backends within a few of each other. Not exactly level: in a
    /// burst through two edges a reservation an edge has already reported can be counted twice by the
    /// routing grain until the backend grain's next view arrives (docs/accounting.md), which steers a
    /// few connections elsewhere (198/203/199 and 204 seen in CI). Each handshake the edges retried on
    /// another backend may add one more, and is counted in the edges' metrics.
    /// </summary>
    private async Task AssertBalancedAsync(StatusView status, params ProcessEdge[] edges)
    {
        var retried = 0L;
        foreach (var edge in edges)
        {
            retried += await edge.RetriedHandshakesAsync();
        }

        var counts = Default(status).Backends.Select(backend => backend.Connections).ToList();
        output.WriteLine($"backends carry {string.Join("/", counts)}; edges retried {retried} handshakes");
        var average = counts.Sum() / counts.Count;
        Assert.All(counts, count => Assert.InRange(count, average - 5 - retried, average + 5 + retried));
    }
}
