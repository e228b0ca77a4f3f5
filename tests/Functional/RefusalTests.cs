using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>Requests the edge answers itself, each with a precise status, while it keeps serving good clients.</summary>
[Collection(EmbeddedEdgeCollection.Name)]
public sealed class RefusalTests(EmbeddedEdgeFixture fixture)
{
    private static readonly HttpClient Http = new();
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task PlainHttpGet_OnAPoolThatRefusesHttp_Gets426WithOneLineBody_AndReachesNoBackend()
    {
        var before = fixture.Backends["a"].HttpRequests;

        using var response = await Http.GetAsync(new Uri(fixture.Edge.HttpBase, "/wsonly"), _timeout);
        var body = await response.Content.ReadAsStringAsync(_timeout);

        Assert.Equal(426, (int)response.StatusCode);
        Assert.Equal("websocket", response.Headers.Upgrade.Single().Name);
        Assert.Single(body.TrimEnd('\n').Split('\n'));
        Assert.Contains("WebSocket", body);
        Assert.Equal(before, fixture.Backends["a"].HttpRequests);
    }

    [Fact]
    public async Task Handshake_OnUnknownPath_Gets404()
    {
        var (status, _) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/nowhere"), _timeout);

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Handshake_PathThatOnlySharesAPrefix_Gets404()
    {
        var (status, _) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/wsx"), _timeout);

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Handshake_PoolWithoutBackends_Gets503WithRetryAfter()
    {
        var (status, headers) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/empty"), _timeout);

        Assert.Equal(503, status);
        Assert.Equal("5", headers["Retry-After"].Single());
    }

    [Fact]
    public async Task Handshake_BackendAtMaxConnections_Gets503_UntilTheOpenOneCloses()
    {
        var first = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/capped"), _timeout);

        var (status, headers) = await WebSocketClient.RefusedAsync(fixture.Edge.WebSocketUri("/capped"), _timeout);
        Assert.Equal(503, status);
        Assert.True(headers.ContainsKey("Retry-After"));

        await first.CloseQuietlyAsync(_timeout);
        using var next = await Eventually.Until(
            () => TryConnect(fixture.Edge.WebSocketUri("/capped")),
            socket => socket is not null,
            "a connection to be admitted once the first one closed");
        Assert.Equal("a", await next!.AskAsync("whoami", _timeout));
        await next!.CloseQuietlyAsync(_timeout);
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key: not-base64!", 400, "Sec-WebSocket-Key")]
    [InlineData("Sec-WebSocket-Key:", 400, "Sec-WebSocket-Key")]
    [InlineData("Sec-WebSocket-Version: 8", 426, "version 13")]
    [InlineData("Sec-WebSocket-Version:", 400, "Sec-WebSocket-Version: 13")]
    [InlineData("Connection: keep-alive", 400, "Connection: Upgrade")]
    public async Task MalformedHandshake_GetsPreciseStatus_AndIsNeverForwarded(string header, int expectedStatus, string expectedText)
    {
        var before = fixture.Backends.Servers.Sum(s => s.TotalConnections);

        var response = await RawHttp.SendAsync(fixture.Edge.HttpBase, RawHttp.Handshake("/ws", header), _timeout);

        Assert.Equal(expectedStatus, response.Status);
        Assert.Contains(expectedText, response.Body);
        Assert.Equal(before, fixture.Backends.Servers.Sum(s => s.TotalConnections));
        if (expectedStatus == 426 && header.StartsWith("Sec-WebSocket-Version", StringComparison.Ordinal))
        {
            Assert.Contains("Sec-WebSocket-Version: 13", response.Head);
        }

        using var good = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout);
        Assert.Equal("still here", await good.AskAsync("still here", _timeout));
        await good.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task HandshakeOverHttp10_Gets400()
    {
        var request = RawHttp.Handshake("/ws").Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal);

        var response = await RawHttp.SendAsync(fixture.Edge.HttpBase, request, _timeout);

        Assert.Equal(400, response.Status);
        Assert.Contains("HTTP/1.1", response.Body);
    }

    private async Task<System.Net.WebSockets.ClientWebSocket?> TryConnect(Uri uri)
    {
        try
        {
            return await WebSocketClient.ConnectAsync(uri, _timeout);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return null;
        }
    }
}
