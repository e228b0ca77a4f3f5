using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.EchoBackend;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>After the 101 the edge carries the bytes itself; it closes tunnels that stay idle too long.</summary>
public sealed class TunnelOwnershipTests() : TunnelOwnershipTestsBase("Managed", "socket");

/// <summary>The same on the event loop.</summary>
public sealed class EventLoopTunnelOwnershipTests() : TunnelOwnershipTestsBase("EventLoop", "event-loop");

public abstract class TunnelOwnershipTestsBase(string engine, string carrier) : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
    private readonly TcpListener _silentBackend = new(IPAddress.Loopback, 0);
    private EchoBackends _backends = null!;
    private EchoServer _refusing = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _backends = await EchoBackends.StartAsync(1);
        _silentBackend.Start();
        _refusing = await EchoServer.StartAsync(new EchoServerOptions { Id = "refusing", RejectHandshakes = true });
        _edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Edge:Tunnel", engine),
            // Short, so the idle test is quick; not so short that a pause of the test's own client on a loaded machine looks idle.
            new("WsOrleans:Edge:ActivityTimeout", "00:00:03"),
            new("WsOrleans:Edge:BackendResponseTimeout", "00:00:01"),
            .. _backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:silent:Path", "/silent"),
            new("WsOrleans:Pools:silent:Backends:0:Address", $"ws://127.0.0.1:{((IPEndPoint)_silentBackend.LocalEndpoint).Port}"),
            new("WsOrleans:Pools:refusing:Path", "/refusing"),
            new("WsOrleans:Pools:refusing:Backends:0:Address", _refusing.WebSocketAddress.ToString()),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _backends.DisposeAsync();
        await _refusing.DisposeAsync();
        _silentBackend.Stop();
    }

    [Fact]
    public async Task BackendThatRefusesTheHandshake_ItsAnswerReachesTheClient()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_edge.HttpBase, "/refusing"));
        foreach (var (name, value) in new[] { ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, _timeout);

        Assert.Equal(500, (int)response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await response.Content.ReadAsStringAsync(_timeout)), "the backend's error body should be relayed");
        await Eventually.Until(
            () => _edge.PoolAsync("refusing"),
            pool => pool.Backends.All(b => b.Connections == 0),
            "the refused handshake released in the cluster's count");
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
        var tunnel = Assert.Single(Tunnels.Tunnels);
        Assert.True(tunnel.Detached, "a plain HTTP/1.1 tunnel should leave Kestrel and go socket to socket");
        Assert.Equal(carrier, tunnel.Carrier);

        // A count follows its bytes: the carrier adds them once they are written, so the echo can arrive first.
        await Eventually.Until(
            () => Task.FromResult((tunnel.BytesToBackend, tunnel.BytesToClient)),
            bytes => bytes == ("through the tunnel".Length + 6, "through the tunnel".Length + 2),
            "the tunnel to count the bytes it carried each way (a masked frame to the backend, an unmasked one back)");
        await socket.CloseQuietlyAsync(_timeout);
        await Eventually.Until(() => Task.FromResult(Tunnels.Count), count => count == 0, "the tunnel to end with the socket");
    }

    [Fact]
    public async Task ClientThatSendsAFrameWithItsHandshake_TheFrameIsNotLost()
    {
        // One write: the handshake and, right behind it, a masked text frame "early".
        var handshake = System.Text.Encoding.ASCII.GetBytes(RawHttp.Handshake("/ws"));
        byte[] mask = [1, 2, 3, 4];
        var frame = new byte[] { 0x81, 0x80 | 5 }.Concat(mask).Concat("early"u8.ToArray().Select((b, i) => (byte)(b ^ mask[i % 4]))).ToArray();

        using var client = new TcpClient();
        await client.ConnectAsync(_edge.HttpBase.Host, _edge.HttpBase.Port, _timeout);
        var stream = client.GetStream();
        await stream.WriteAsync(handshake.Concat(frame).ToArray(), _timeout);

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (!EndsWithEcho(received))
        {
            var read = await stream.ReadAsync(buffer, _timeout);
            Assert.True(read > 0, $"the connection ended before the echo; got: {System.Text.Encoding.ASCII.GetString(received.ToArray())}");
            received.AddRange(buffer.Take(read));
        }

        Assert.StartsWith("HTTP/1.1 101", System.Text.Encoding.ASCII.GetString(received.ToArray()));

        static bool EndsWithEcho(List<byte> bytes) =>
            bytes.Count >= 7 && bytes.Skip(bytes.Count - 7).SequenceEqual(new byte[] { 0x81, 5 }.Concat("early"u8.ToArray()));
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
