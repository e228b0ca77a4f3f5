using System.Net.WebSockets;
using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Process level, as issue #12 found it: two edge processes and one silo, a Sticky pool keyed by a header,
/// sessions of ten connections alternating between the edges, opened one after another. A new key goes to the
/// least loaded backend and ties are broken round robin, cluster-wide: the sessions rotate a, b, c, a, b, c
/// whichever edge they arrive through.
/// </summary>
public sealed class StickyTieBreakProcessTests(ITestOutputHelper output)
{
    private const int Sessions = 6;
    private const int ConnectionsPerSession = 10;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SessionsThroughTwoEdges_EachClosedBeforeTheNext_RotateOverTheBackends(bool waitForClose)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var backends = await EchoBackends.StartAsync(3);
        await using var cluster = await ProcessCluster.StartAsync(
            [new("WsOrleans:Pools:default:Strategy", "Sticky"), new("WsOrleans:Pools:default:Affinity:Key", "header:X-Session"), .. backends.AsBackendsOf("default")]);
        cluster.StartSilo();
        var edges = await Task.WhenAll(cluster.StartEdgeAsync("edge-a", TimeSpan.FromSeconds(30)), cluster.StartEdgeAsync("edge-b", TimeSpan.FromSeconds(30)));

        var boundTo = new List<string>();
        for (var session = 0; session < Sessions; session++)
        {
            var sockets = new List<ClientWebSocket>();
            var answered = new HashSet<string>();
            for (var i = 0; i < ConnectionsPerSession; i++)
            {
                var key = $"session-{session}";
                var socket = await WebSocketClient.ConnectAsync(edges[i % 2].WebSocketUri("/ws"), timeout.Token, o => o.SetRequestHeader("X-Session", key));
                sockets.Add(socket);
                answered.Add(await socket.AskAsync("whoami", timeout.Token));
            }

            // Waiting for each close lets the counts settle to zero (a pure tie); not waiting leaves the last
            // session's backend counted for a moment, which least connections must step around.
            await Task.WhenAll(sockets.Select(s => waitForClose
                ? s.CloseQuietlyAsync(timeout.Token)
                : s.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "next", timeout.Token)));
            boundTo.Add(Assert.Single(answered));
        }

        output.WriteLine($"sessions bound to {string.Join(", ", boundTo)}");
        Assert.Equal(["a", "b", "c", "a", "b", "c"], boundTo);
    }
}
