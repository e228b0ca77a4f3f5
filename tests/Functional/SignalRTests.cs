using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WsOrleans.SignalRChat;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// ASP.NET Core SignalR through two edges, with SignalR's own clients (.NET and Node) and their default
/// settings: negotiate, then the transport, each request of a session sent to the other edge in turn. The
/// affinity cookie keeps every session on one backend with each transport; sessions spread over all three.
/// </summary>
public sealed class SignalRTests(SignalRFixture fixture) : IClassFixture<SignalRFixture>
{
    private const int Sessions = 9;
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task DotNetClient_EachTransport_NegotiateOnOneEdgeTransportOnTheOther_EverySessionStaysOnOneBackend(HttpTransportType transport)
    {
        await fixture.WaitUntilIdleAsync();
        var sessions = Enumerable.Range(0, Sessions).Select(_ => new AlternatingEdges(fixture.Edges)).ToList();
        var hubs = sessions.Select(edges => new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.First.HttpBase, "/chat/hub"), transport, edges.Apply)
            .Build()).ToList();
        try
        {
            await Task.WhenAll(hubs.Select(hub => hub.StartAsync(_timeout)));
            var seen = new List<WhoAmIReply>();
            foreach (var hub in hubs)
            {
                var first = await hub.InvokeAsync<WhoAmIReply>("WhoAmI", _timeout);
                for (var call = 0; call < 3; call++)
                {
                    Assert.Equal(first, await hub.InvokeAsync<WhoAmIReply>("WhoAmI", _timeout));
                }

                Assert.Equal((transport.ToString(), hub.ConnectionId), (first.Transport, first.ConnectionId));
                seen.Add(first);
            }

            Assert.All(sessions, edges => Assert.True(edges.SentTo.Count == 2, $"both edges carried the session: {string.Join(", ", edges.SentTo)}"));
            // Least connections picks at negotiate, which is short; sessions started at once spread over every
            // backend, not always exactly evenly.
            Assert.Equal(["a", "b", "c"], seen.Select(s => s.Backend).Distinct().Order());
            Assert.Equal(Sessions, fixture.Backends.OpenConnections.Values.Sum());
        }
        finally
        {
            await Task.WhenAll(hubs.Select(hub => hub.DisposeAsync().AsTask()));
        }
    }

    [Theory]
    [InlineData("default", "WebSockets")]
    [InlineData("ServerSentEvents", "ServerSentEvents")]
    [InlineData("LongPolling", "LongPolling")]
    public async Task NodeClient_ThirtySessionsThroughTwoEdges_AllWork(string requested, string expected)
    {
        await fixture.WaitUntilIdleAsync();
        var summary = await NodeHarness.RunAsync(new SignalRClientRun { Targets = fixture.Edges, Count = 30, Transport = requested }, _timeout);

        Assert.True(summary.Ok == 30 && summary.Failed == 0, $"Expected 30 of 30 sessions to work; saw {summary}");
        Assert.Equal(new Dictionary<string, int> { [expected] = 30 }, summary.Transports);
        Assert.Equal(["a", "b", "c"], summary.Backends.Keys.Order());
    }
}
