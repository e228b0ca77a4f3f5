using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// A backend process dies while clients keep connecting through two edges that share one cluster:
/// no client sees a failed handshake, the cluster marks it unhealthy within
/// Interval × UnhealthyThreshold + 1 s and sends it nothing more, and it returns once restarted.
/// </summary>
public sealed class FailoverProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Handshakes = 1000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private const int UnhealthyThreshold = 2;

    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task BackendProcessKilled_DuringThousandHandshakesThroughTwoEdges_NoClientFails_EjectedInTime_ReturnsAfterRestart()
    {
        var backends = await Task.WhenAll(EchoProcess.StartAsync("a"), EchoProcess.StartAsync("b"), EchoProcess.StartAsync("c"));
        await using var a = backends[0];
        await using var b = backends[1];
        await using var c = backends[2];
        await using var silo = await TestSilo.StartAsync(
        [
            new("WsOrleans:Pools:default:Path", "/ws"),
            new("WsOrleans:Pools:default:Strategy", "RoundRobin"),
            new("WsOrleans:Pools:default:HealthCheck:Mode", "Tcp"),
            new("WsOrleans:Pools:default:HealthCheck:Interval", "00:00:00.200"),
            new("WsOrleans:Pools:default:HealthCheck:Timeout", "00:00:00.200"),
            new("WsOrleans:Pools:default:HealthCheck:UnhealthyThreshold", UnhealthyThreshold.ToString()),
            new("WsOrleans:Pools:default:HealthCheck:HealthyThreshold", "2"),
            .. backends.SelectMany((backend, i) => new KeyValuePair<string, string?>[]
            {
                new($"WsOrleans:Pools:default:Backends:{i}:Id", backend.Id),
                new($"WsOrleans:Pools:default:Backends:{i}:Address", backend.WebSocketAddress.ToString().TrimEnd('/')),
            }),
        ]);
        await using var first = await TestEdge.StartAsync(silo.ClientConfiguration);
        await using var second = await TestEdge.StartAsync(silo.ClientConfiguration);
        await Eventually.Until(
            () => first.PoolAsync("default"),
            p => p.Backends.All(x => x.Health == "healthy"),
            "all three backends healthy");

        // Clients keep connecting, four at a time, alternating edges; each asks which backend it reached.
        var served = new ConcurrentQueue<(long At, string Backend)>();
        var failures = new ConcurrentQueue<string>();
        var lost = new ConcurrentQueue<string>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= Handshakes)
            {
                var edge = i % 2 == 0 ? first : second;
                System.Net.WebSockets.ClientWebSocket socket;
                try
                {
                    socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Enqueue($"handshake {i}: {e.Message}");
                    continue;
                }

                // A connection already open on b when it dies is lost with it: that is not a handshake.
                using (socket)
                {
                    string backend;
                    try
                    {
                        backend = await socket.AskAsync("whoami", _timeout);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        lost.Enqueue($"connection {i}: {e.Message}");
                        continue;
                    }

                    served.Enqueue((clock.ElapsedMilliseconds, backend));
                    try
                    {
                        await socket.CloseQuietlyAsync(_timeout);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        lost.Enqueue($"connection {i} (at its close): {e.Message}");
                    }
                }
            }
        }

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(Client)).ToArray();
        await Eventually.Until(() => Task.FromResult(served.Count), n => n >= Handshakes / 4, "a quarter of the handshakes done before the kill");

        await b.KillAsync();
        var killedAt = clock.ElapsedMilliseconds;
        var ejection = Interval * UnhealthyThreshold + TimeSpan.FromSeconds(1);
        await Eventually.Until(
            async () => (await first.PoolAsync("default")).Backends.Single(x => x.Id == "b").Health,
            health => health == "unhealthy",
            "b to be unhealthy after its process was killed",
            ejection);
        var ejectedAt = clock.ElapsedMilliseconds;

        output.WriteLine($"b unhealthy in /status {ejectedAt - killedAt} ms after its process was killed (allowed: {ejection.TotalMilliseconds} ms)");
        await Task.WhenAll(clients);
        Assert.Empty(failures);
        Assert.True(lost.Count <= 4, $"only connections open on b at the kill may be lost, at most one per client; lost: {string.Join("; ", lost)}");
        Assert.Equal(Handshakes, served.Count + lost.Count(l => !l.Contains("at its close", StringComparison.Ordinal)));
        Assert.Contains(served, s => s.Backend == "b" && s.At < killedAt);

        await b.RestartAsync();
        await Eventually.Until(
            async () => (await second.PoolAsync("default")).Backends.Single(x => x.Id == "b").Health,
            health => health == "healthy",
            "b to be healthy again after HealthyThreshold probes");

        // Round robin gives b its turn again within a few handshakes, through either edge.
        var after = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync((i % 2 == 0 ? first : second).WebSocketUri("/ws"), _timeout);
            after.Add(await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }

        Assert.True(after.Contains("b"), $"b should take new connections again; saw {string.Join(", ", after)} (edges routing alone: {RoutedAlone(first)}, {RoutedAlone(second)})");
        output.WriteLine($"after b's return: {string.Join(", ", after)}");
    }

    private static string RoutedAlone(TestEdge edge) =>
        string.Join(" ", edge.Services.GetRequiredService<WsOrleans.Edge.Routing.DegradedRouting>().Degraded.Select(d => $"{d.Key} since {d.Value.Since:HH:mm:ss.fff} ({d.Value.Reason})").DefaultIfEmpty("none"));
}
