using System.Net;
using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Deploying a backend: a drain with a deadline empties it within the window, its closes spread evenly over
/// every edge, each a 1012 the client reconnects from; a backend that comes back ramps up (slow start)
/// instead of taking every new connection at once. Through two edges, with reconnecting clients.
/// </summary>
public sealed class DrainAndSlowStartTests(ITestOutputHelper output)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task DrainWithin10s_EmptiesTheBackendInTheWindow_ClosesSpreadEvenly_AllReconnectElsewhere()
    {
        await using var cluster = await MovingCluster.StartAsync(3, 3);
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, 150, _timeout);
        var before = await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == 150, "150 clients connected");

        var started = DateTime.UtcNow;
        var answer = await cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/backends/a/drain", """{ "closeWithin": "00:00:10" }""", cancellationToken: _timeout);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("draining", answer.Body.GetProperty("adminState").GetString());
        Assert.True(answer.Body.TryGetProperty("closeBy", out _), answer.Body.ToString());
        var emptied = await Eventually.Until(
            async () => (await cluster.Second.PoolAsync(MovingCluster.Pool)).Backends.Single(b => b.Id == "a"),
            a => a.Connections == 0 && a.EmptySince is not null && cluster.Open["a"] == 0,
            "a to be empty, and /status to say since when",
            TimeSpan.FromSeconds(30));
        await Eventually.Until(() => Task.FromResult(clients.Open), open => open == 150, "every client to have reconnected");

        var closes = clients.Closes;
        var perSecond = closes.GroupBy(c => (int)(c.At - started).TotalSeconds).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}").ToList();
        output.WriteLine($"empty {(emptied.EmptySince!.Value.UtcDateTime - started).TotalSeconds:0.0} s after the drain; closes per second {string.Join(" ", perSecond)}; codes {string.Join(" ", closes.GroupBy(c => c.Code).Select(g => $"{g.Key}:{g.Count()}"))}; before {string.Join(" ", before.Select(p => $"{p.Key}:{p.Value}"))}; now {string.Join(" ", cluster.Open.Select(p => $"{p.Key}:{p.Value}"))}");
        var even = before["a"] / 10.0;
        Assert.Equal(before["a"], closes.Count);
        Assert.All(closes, c => Assert.Equal((WebSocketCloseStatus)1012, c.Code));
        Assert.True(closes[^1].At - started < TimeSpan.FromSeconds(12), $"the last close came {(closes[^1].At - started).TotalSeconds:0.0} s after a 10 s drain");
        Assert.All(closes.GroupBy(c => (int)(c.At - started).TotalSeconds), second => Assert.True(second.Count() <= Math.Ceiling(2 * even), $"twice the even rate of {even} a second: {string.Join(" ", perSecond)}"));
        Assert.Equal(0, cluster.Open["a"]);
        Assert.Equal(150, cluster.Open["b"] + cluster.Open["c"]);
        var counted = 0.0;
        foreach (var edge in new[] { cluster.First, cluster.Second })
        {
            counted += PrometheusText.Value(await PrometheusText.ScrapeAsync(edge.ManagementBase, _timeout), "wsorleans_edge_tunnel_closes_total", "backend=\"a\",pool=\"live\",reason=\"drain\"");
        }

        Assert.Equal(before["a"], counted);
    }

    [Fact]
    public async Task TunnelClosedWhileMessagesStream_DeliversEveryCompleteMessageBeforeThe1012()
    {
        await using var cluster = await MovingCluster.StartAsync(1, 1);
        using var socket = await WebSocketClient.ConnectAsync(cluster.Targets[0], _timeout);
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(_timeout);
        var sending = Task.Run(async () =>
        {
            // Messages of 40 KB, sent until the close, which the echo streams back in frames of at most 16 KiB.
            for (var i = 0; !stopSending.IsCancellationRequested; i++)
            {
                await socket.SendAsync(Message(i), WebSocketMessageType.Binary, true, stopSending.Token);
            }
        });

        var received = 0;
        var drained = false;
        while (true)
        {
            var (type, payload) = await socket.ReceiveMessageAsync(_timeout);
            if (type == WebSocketMessageType.Close)
            {
                break;
            }

            Assert.True(Message(received).AsSpan().SequenceEqual(payload), $"message {received} arrived changed or cut ({payload.Length} bytes)");
            received++;
            if (received == 20 && !drained)
            {
                drained = true;
                _ = cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/backends/a/drain", """{ "closeWithin": "00:00:01" }""", cancellationToken: _timeout);
            }
        }

        await stopSending.CancelAsync();
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        output.WriteLine($"{received} whole messages before the close");
        Assert.Equal((WebSocketCloseStatus)1012, socket.CloseStatus);
        Assert.True(received > 20, $"{received} messages");

        static byte[] Message(int index)
        {
            var message = new byte[40_000];
            for (var j = 0; j < message.Length; j++)
            {
                message[j] = (byte)(index + (j * 7));
            }

            return message;
        }
    }

    [Fact]
    public async Task DrainWithWait_FromTheCli_ReturnsOnceTheBackendIsEmpty()
    {
        await using var cluster = await MovingCluster.StartAsync(2, 2);
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, 20, _timeout);
        await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == 20, "20 clients connected");

        var run = await CliRun.RunAsync(["backends", "drain", MovingCluster.Pool, "b", "--close-within", "3s", "--wait", "--edge", cluster.First.ManagementBase.ToString()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Backend 'b' of pool 'live' has no connections left.", run.Output);

        // The edges count a tunnel ended once both close frames have passed and they hung up; the backend's own
        // count follows when it has read that end, a moment later.
        await Eventually.Until(() => Task.FromResult(cluster.Open["b"]), open => open == 0, "backend b's own count to reach 0", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Undrained_WithASlowStartOf30s_HoldsAtMostHalfItsShareAfter6s()
    {
        await using var cluster = await MovingCluster.StartAsync(3, 3, ("SlowStart", "00:00:30"));
        Assert.Equal(HttpStatusCode.OK, (await cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/backends/c/drain", cancellationToken: _timeout)).Status);
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, 100, _timeout);
        await Eventually.Until(() => Task.FromResult(cluster.Open), open => open["a"] + open["b"] == 100, "100 clients on a and b");

        Assert.Equal(HttpStatusCode.OK, (await cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/backends/c/undrain", cancellationToken: _timeout)).Status);
        var undrained = DateTime.UtcNow;
        var ramping = await cluster.First.PoolAsync(MovingCluster.Pool);

        // New clients keep coming for 6 s: least connections alone would give every one of them to c.
        var newcomers = new List<ReconnectingClients>();
        try
        {
            while (DateTime.UtcNow - undrained < TimeSpan.FromSeconds(6))
            {
                newcomers.Add(await ReconnectingClients.StartAsync(cluster.Targets, 10, _timeout));
                await Task.Delay(500, _timeout);
            }

            var open = await Eventually.Until(() => Task.FromResult(cluster.Open), o => o.Values.Sum() == 100 + (10 * newcomers.Count), "every newcomer connected");
            var share = open.Values.Sum() / 3.0;
            output.WriteLine($"after {(DateTime.UtcNow - undrained).TotalSeconds:0.0} s: {string.Join(", ", open)}; c's full share is {share:0.#}");
            Assert.InRange(open["c"], 1, share / 2);
            Assert.NotNull(ramping.Backends.Single(b => b.Id == "c").RampedWeight);
        }
        finally
        {
            foreach (var group in newcomers)
            {
                await group.DisposeAsync();
            }
        }
    }
}
