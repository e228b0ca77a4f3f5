using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>WebSockets over HTTP/2 (RFC 8441 extended CONNECT) on an edge listener that speaks HTTP/2.</summary>
public sealed class Http2Tests : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
    private EchoBackends _backends = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _backends = await EchoBackends.StartAsync(1);
        _edge = await TestEdge.StartAsync(
        [
            new("Kestrel:EndpointDefaults:Protocols", "Http2"),
            .. _backends.AsBackendsOf("default"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task ExtendedConnect_FromHttp2Client_ReachesAnHttp11BackendAsAnUpgrade()
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;

        await socket.ConnectAsync(_edge.WebSocketUri("/ws?over=h2"), invoker, _timeout);

        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
        using var seen = JsonDocument.Parse(await socket.AskAsync("handshake", _timeout));
        Assert.Equal("websocket", seen.RootElement.GetProperty("headers").GetProperty("Upgrade").GetString(), ignoreCase: true);
        Assert.Equal("?over=h2", seen.RootElement.GetProperty("query").GetString());
        Assert.Equal("a", await socket.AskAsync("whoami", _timeout));
        var tunnel = Assert.Single(_edge.Services.GetRequiredService<TunnelRegistry>().Tunnels);
        Assert.False(tunnel.Detached, "an HTTP/2 stream cannot leave its connection");
        await socket.CloseAsync((WebSocketCloseStatus)4003, "h2 bye", _timeout);
        Assert.Equal((WebSocketCloseStatus)4003, socket.CloseStatus);
    }

    [Fact]
    public async Task PlainRequests_FromHttp2Client_ReachTheHttp11Backend_BodiesAndEventsIntact()
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var posted = await http.PostAsync(new Uri(_edge.HttpBase, "/ws/send"), new StringContent("over h2"), _timeout);
        using var events = await http.GetAsync(new Uri(_edge.HttpBase, "/ws/events?count=2&interval=10"), _timeout);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (posted.StatusCode, posted.Version));
        Assert.Equal("over h2", await posted.Content.ReadAsStringAsync(_timeout));
        Assert.Equal("id: 1\ndata: a 1\n\nid: 2\ndata: a 2\n\n", await events.Content.ReadAsStringAsync(_timeout));
    }
}
