using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>After the 101 the edge carries the bytes itself; it closes tunnels that stay idle too long.</summary>
public sealed class TunnelOwnershipTests : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
    private readonly TcpListener _silentBackend = new(IPAddress.Loopback, 0);
    private EchoBackends _backends = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _backends = await EchoBackends.StartAsync(1);
        _silentBackend.Start();
        _edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Edge:ActivityTimeout", "00:00:01"),
            new("WsOrleans:Edge:BackendResponseTimeout", "00:00:01"),
            .. _backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:silent:Path", "/silent"),
            new("WsOrleans:Pools:silent:Backends:0:Address", $"ws://127.0.0.1:{((IPEndPoint)_silentBackend.LocalEndpoint).Port}"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _backends.DisposeAsync();
        _silentBackend.Stop();
    }

    [Fact]
    public async Task BackendThatNeverAnswersTheHandshake_ClientGets504AfterTheResponseTimeout()
    {
        var (status, _) = await WebSocketClient.RefusedAsync(_edge.WebSocketUri("/silent"), _timeout);

        Assert.Equal(504, status);
        await Eventually.Until(
            () => _edge.PoolAsync("silent"),
            pool => pool.Backends.All(b => b.Connections == 0),
            "the refused handshake released in the cluster's count");
    }

    private TunnelRegistry Tunnels => _edge.Services.GetRequiredService<TunnelRegistry>();

    [Fact]
    public async Task Upgrade_ThenTraffic_IsCarriedByTheEdgesOwnTunnel()
    {
        using var socket = await WebSocketClient.ConnectAsync(_edge.WebSocketUri("/ws"), _timeout);

        Assert.Equal("through the tunnel", await socket.AskAsync("through the tunnel", _timeout));
        Assert.Equal(1, Tunnels.Count);
        await socket.CloseQuietlyAsync(_timeout);
        await Eventually.Until(() => Task.FromResult(Tunnels.Count), count => count == 0, "the tunnel to end with the socket");
    }

    [Fact]
    public async Task BackendThatSpeaksFirst_ItsFirstMessageIsNotLost()
    {
        for (var i = 0; i < 20; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(_edge.WebSocketUri($"/ws?greeting=hello-{i}"), _timeout);

            Assert.Equal($"hello-{i}", await socket.ReceiveTextAsync(_timeout));
            Assert.Equal("and then", await socket.AskAsync("and then", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task IdleTunnel_PastTheActivityTimeout_IsClosedAndReleased()
    {
        using var socket = await WebSocketClient.ConnectAsync(_edge.WebSocketUri("/ws"), _timeout);
        Assert.Equal("awake", await socket.AskAsync("awake", _timeout));

        // Like nginx and HAProxy, the edge closes the connection itself (no close frame).
        var ended = await Record.ExceptionAsync(() => socket.ReceiveMessageAsync(_timeout));

        Assert.True(ended is WebSocketException || (ended is null && socket.State == WebSocketState.CloseReceived), $"the edge should have closed the idle socket; got {ended?.GetType().Name ?? "a message"}, state {socket.State}");
        await Eventually.Until(
            () => _edge.PoolAsync("default"),
            pool => pool.Backends.All(b => b.Connections == 0),
            "the idle connection released in the cluster's count");
    }
}
