using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The node harness itself, with no proxy in between: real Socket.IO clients against real Socket.IO
/// servers. What it reports here is what the edge tests will trust.
/// </summary>
public sealed class NodeHarnessTests
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task SocketIo_DefaultTransportsAgainstOneServer_AllUpgradeAndStayOnIt()
    {
        await using var servers = await SocketIoServers.StartAsync(1, _timeout);

        var summary = await NodeHarness.RunAsync(new SocketIoClientRun { Targets = [servers["a"].BaseAddress], Count = 10 }, _timeout);

        Assert.True(summary.Ok == 10 && summary.Failed == 0, $"Expected 10 of 10 clients ok; saw {summary}");
        Assert.Equal(new Dictionary<string, int> { ["a"] = 10 }, summary.Backends);
        Assert.Equal(new Dictionary<string, int> { ["websocket"] = 10 }, summary.Transports);
        Assert.Equal(10, summary.Upgraded);
        // Each client polls at least for the handshake and its connect before the WebSocket.
        Assert.True(summary.RequestsPerTarget.Values.Single() >= 30, $"Expected at least 3 connections per client; saw {summary}");
    }

    [Fact]
    public async Task SocketIo_WebSocketOnlyAlternatingTwoServers_ClientsSplitAndEachStaysOnItsServer()
    {
        await using var servers = await SocketIoServers.StartAsync(2, _timeout);

        var summary = await NodeHarness.RunAsync(
            new SocketIoClientRun { Targets = [servers["a"].BaseAddress, servers["b"].BaseAddress], Count = 10, WebSocketOnly = true },
            _timeout);

        Assert.True(summary.Ok == 10 && summary.Failed == 0, $"Expected 10 of 10 clients ok; saw {summary}");
        Assert.Equal(new Dictionary<string, int> { ["a"] = 5, ["b"] = 5 }, summary.Backends);
        Assert.Equal(new Dictionary<string, int> { ["websocket"] = 10 }, summary.Transports);
        Assert.Equal(
            new Dictionary<string, int> { [Origin(servers["a"])] = 5, [Origin(servers["b"])] = 5 },
            summary.RequestsPerTarget);
    }

    /// <summary>The harness can fail: polling requests of one session spread over two servers with no affinity break it.</summary>
    [Fact]
    public async Task SocketIo_PollingAlternatingTwoServersWithoutAffinity_AllFail()
    {
        await using var servers = await SocketIoServers.StartAsync(2, _timeout);

        var summary = await NodeHarness.RunAsync(
            new SocketIoClientRun { Targets = [servers["a"].BaseAddress, servers["b"].BaseAddress], Count = 10, Rounds = 1, StepTimeout = TimeSpan.FromSeconds(5) },
            _timeout);

        Assert.True(summary.Ok == 0 && summary.Failed == 10, $"Expected all 10 clients to fail; saw {summary}");
        Assert.NotEmpty(summary.Errors);
        Assert.All(summary.RequestsPerTarget.Values, requests => Assert.True(requests >= 10, $"Expected both servers to be asked; saw {summary}"));
    }

    private static string Origin(SocketIoServer server) => server.BaseAddress.GetLeftPart(UriPartial.Authority);
}
