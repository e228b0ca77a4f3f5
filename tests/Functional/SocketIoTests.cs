using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Socket.IO 4's own Node client through two edges, each HTTP request and WebSocket of a session sent to
/// the other edge in turn: with its default transports (long polling, then the upgrade) every session
/// stays on one server, by the affinity cookie when the client keeps cookies, by the client's address
/// (<c>IpHash</c>) when it does not.
/// </summary>
public sealed class SocketIoTests(SocketIoFixture fixture) : IClassFixture<SocketIoFixture>
{
    private const int Clients = 30;
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    private IReadOnlyList<Uri> Edges => [fixture.First.HttpBase, fixture.Second.HttpBase];

    [Fact]
    public async Task DefaultTransports_ClientKeepsCookies_EverySessionUpgradesAndStaysOnOneServer_SessionsSpreadOverAll()
    {
        // Least connections picks by the cluster's counts: a session of another test still counted would skew them.
        await fixture.First.PoolCountingAsync("sio", 0);
        var summary = await NodeHarness.RunAsync(new SocketIoClientRun { Targets = Edges, Count = Clients, Path = "/sio/" }, _timeout);

        AssertAllOk(summary);
        Assert.Equal(Clients, summary.Upgraded);
        Assert.Equal(["a", "b", "c"], summary.Backends.Keys.Order());
        Assert.All(Edges, edge => Assert.True(summary.RequestsPerTarget[edge.GetLeftPart(UriPartial.Authority)] >= Clients, $"both edges carry requests: {summary}"));
    }

    [Fact]
    public async Task DefaultTransports_ClientKeepsNoCookies_OnAnIpHashPool_EverySessionStaysOnOneServer()
    {
        var summary = await NodeHarness.RunAsync(
            new SocketIoClientRun { Targets = Edges, Count = Clients, Path = "/siohash/", Cookies = false, ForwardedForPrefix = "198.18.7." },
            _timeout);

        AssertAllOk(summary);
        Assert.Equal(Clients, summary.Upgraded);
        Assert.True(summary.Backends.Count >= 2, $"thirty client addresses hash to more than one server: {summary}");
    }

    [Fact]
    public async Task WebSocketTransportOnly_NeedsNoAffinity()
    {
        var summary = await NodeHarness.RunAsync(
            new SocketIoClientRun { Targets = Edges, Count = Clients, Path = "/sio/", WebSocketOnly = true, Cookies = false },
            _timeout);

        AssertAllOk(summary);
    }

    private static void AssertAllOk(ClientsSummary summary) =>
        Assert.True(summary.Ok == Clients && summary.Failed == 0, $"Expected {Clients} of {Clients} sessions to work; saw {summary}");
}
