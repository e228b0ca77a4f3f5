using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using WsOrleans.Pools;
using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Live connections follow the pool, through two edges, with clients that reconnect like applications do
/// (0 to 1 s after a close): a backend added at run time is brought to its share by rebalancing, at the
/// pool's close rate, with nothing but 1012 closes; a restarted routing grain neither loses nor repeats
/// closes. Each test owns its cluster: it changes the topology.
/// </summary>
public sealed class RebalancingTests(ITestOutputHelper output)
{
    private const int Clients = 240;
    private const int Rate = 20;
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task BackendAddedAtRunTime_ReachesItsShareWithinTheTolerance_AtTheCloseRate_WithOnly1012Closes()
    {
        await using var cluster = await MovingCluster.StartAsync(4, 3, ("Rebalance:Enabled", "true"), ("Rebalance:MaxClosesPerSecond", $"{Rate}"));
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, Clients, _timeout);
        await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == Clients, "240 clients on a, b and c");

        await cluster.AddAsync("d", _timeout);

        var balanced = await WaitUntilBalancedAsync(cluster, clients);
        var closes = clients.Closes;
        output.WriteLine($"balanced: {string.Join(", ", balanced)}; {closes.Count} closes");
        Assert.All(closes, c => Assert.Equal((WebSocketCloseStatus)1012, c.Code));
        Assert.InRange(closes.Count, 54, 66);
        AssertRate(closes, Rate);
    }

    [Fact]
    public async Task RoutingGrainRestartedDuringARound_NeitherLosesNorRepeatsCloses()
    {
        await using var cluster = await MovingCluster.StartAsync(4, 3, ("Rebalance:Enabled", "true"), ("Rebalance:MaxClosesPerSecond", "10"));
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, Clients, _timeout);
        await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == Clients, "240 clients connected");
        await cluster.AddAsync("d", _timeout);
        await Eventually.Until(() => Task.FromResult(clients.Closes.Count), count => count >= 15, "the round to be under way");

        var grains = cluster.First.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IPoolGrain>(MovingCluster.Pool).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var balanced = await WaitUntilBalancedAsync(cluster, clients);
        var closes = clients.Closes;
        output.WriteLine($"balanced: {string.Join(", ", balanced)}; {closes.Count} closes");
        Assert.All(closes, c => Assert.Equal((WebSocketCloseStatus)1012, c.Code));
        Assert.InRange(closes.Count, 54, 66);
    }

    [Fact]
    public async Task Rebalance_Requested_AnswersThePlan_ThenTheRoundMovesTheExcess()
    {
        await using var cluster = await MovingCluster.StartAsync(3, 2, ("Rebalance:MaxClosesPerSecond", "50"));
        await using var clients = await ReconnectingClients.StartAsync(cluster.Targets, 100, _timeout);
        await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == 100, "100 clients on a and b");
        await cluster.AddAsync("c", _timeout);
        // The plan is made from the routing grain's counts: wait until a report made them the backends' own (a burst
        // through two edges may leave one miscounted until then).
        await Eventually.Until(
            async () => (await cluster.First.PoolAsync(MovingCluster.Pool)).Connections,
            counted => counted.All(b => b.Value == cluster.Open.GetValueOrDefault(b.Key)),
            "the cluster to count what each backend holds");

        var answer = await cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/rebalance", cancellationToken: _timeout);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("started", answer.Body.GetProperty("outcome").GetString());
        Assert.Equal(32, answer.Body.GetProperty("closes").GetInt32());
        // Each sheds down to its share of 33.3, rounded up, by the counts the routing grain had.
        var plan = answer.Body.GetProperty("backends").EnumerateArray().Select(b => (Id: b.GetProperty("id").GetString(), Live: b.GetProperty("connections").GetInt32(), Closes: b.GetProperty("closes").GetInt32())).ToList();
        Assert.Equal(100, plan.Sum(b => b.Live));
        Assert.All(plan, b => Assert.Equal(Math.Max(0, b.Live - 34), b.Closes));
        Assert.Equal(("c", 0), (plan[2].Id, plan[2].Closes));
        var balanced = await Eventually.Until(() => Task.FromResult(cluster.Open), open => open.Values.Sum() == 100 && open.Values.All(n => n is >= 31 and <= 35), "31 to 35 connections on each backend (a share of 33.3, give or take the one a burst may miscount)");
        output.WriteLine($"balanced: {string.Join(", ", balanced)}; {clients.Closes.Count} closes");
        Assert.InRange(clients.Closes.Count, 32, 36);
        var again = await CliRun.RunAsync(["pools", "rebalance", MovingCluster.Pool, "--edge", cluster.First.ManagementBase.ToString()]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith("Pool 'live' is balanced: no backend holds more than its share.", again.Output);
    }

    [Fact]
    public async Task Rebalance_OnAHashPool_Is409AndClosesNothing()
    {
        await using var cluster = await MovingCluster.StartAsync(2, 2, ("Strategy", "Hash"), ("HashKey", "query:room"));

        var answer = await cluster.Admin.SendAsync(HttpMethod.Post, $"/pools/{MovingCluster.Pool}/rebalance", cancellationToken: _timeout);

        var cli = await CliRun.RunAsync(["pools", "rebalance", MovingCluster.Pool, "--edge", cluster.Second.ManagementBase.ToString()]);

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Contains("LeastConnections and RoundRobin", answer.Body.GetProperty("detail").GetString());
        Assert.True(cli.ExitCode == 1, cli.ToString());
        Assert.Contains("409 Conflict", cli.Error);
    }

    private async Task<IReadOnlyDictionary<string, int>> WaitUntilBalancedAsync(MovingCluster cluster, ReconnectingClients clients) =>
        await Eventually.Until(
            () => Task.FromResult(cluster.Open),
            open => open.Values.Sum() == Clients && open.Values.All(n => n is >= 54 and <= 66) && clients.Open == Clients,
            () => $"every backend within 10% of its share of 60, all {Clients} clients connected (clients see {clients.Open} open, {clients.Closes.Count} closes)",
            TimeSpan.FromSeconds(60));

    /// <summary>No second saw more closes than the rate allows, give or take where the ticks fall (each tick's closes are spread over its second).</summary>
    private void AssertRate(IReadOnlyList<(DateTime At, WebSocketCloseStatus? Code)> closes, int rate)
    {
        var start = closes[0].At;
        var perSecond = closes.GroupBy(c => (int)(c.At - start).TotalSeconds).Select(g => g.Count()).ToList();
        output.WriteLine($"closes per second: {string.Join(" ", perSecond)}");
        Assert.All(perSecond, count => Assert.True(count <= rate * 3 / 2, $"{count} closes in one second; the pool allows {rate}: {string.Join(" ", perSecond)}"));
    }
}
