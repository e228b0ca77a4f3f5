using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WsOrleans.SignalRChat;

namespace WsOrleans.Tests.Functional;

/// <summary>The SignalRChat sample's hub and files, straight against a <see cref="ChatServer"/> (no edge), with the .NET client.</summary>
public sealed class SignalRChatTests : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync("a", cancellationToken: _timeout);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Hub_OverEachTransport_ReportsBackendAndTransport_EchoesAndCountsTheConnection(HttpTransportType transport)
    {
        var hub = Connect(_server.HubAddress, transport);
        await using (hub)
        {
            await hub.StartAsync(_timeout);

            var me = await hub.InvokeAsync<WhoAmIReply>("WhoAmI", _timeout);
            Assert.Equal(new WhoAmIReply("a", transport.ToString(), hub.ConnectionId!), me);
            Assert.Equal("héllo, wörld ✓", await hub.InvokeAsync<string>("Echo", "héllo, wörld ✓", _timeout));
            await Eventually.Until(() => Task.FromResult(_server.OpenConnections), open => open == 1, "1 open connection while the client is connected");
            Assert.Equal(1, _server.TotalConnections);

            await hub.StopAsync(_timeout);
        }

        await Eventually.Until(() => Task.FromResult(_server.OpenConnections), open => open == 0, "no open connection after the client stopped");
        Assert.Equal(1, _server.TotalConnections);
    }

    [Fact]
    public async Task Send_ReachesEveryClientOfTheBackend_WithTheBackendsId()
    {
        var sender = Connect(_server.HubAddress, HttpTransportType.WebSockets);
        var listener = Connect(_server.HubAddress, HttpTransportType.LongPolling);
        await using (sender)
        await using (listener)
        {
            var toSender = Received(sender);
            var toListener = Received(listener);
            await Task.WhenAll(sender.StartAsync(_timeout), listener.StartAsync(_timeout));
            await Eventually.Until(() => Task.FromResult(_server.OpenConnections), open => open == 2, "2 open connections");

            await sender.InvokeAsync("Send", "ann", "hello, everyone", _timeout);

            Assert.Equal(("ann", "hello, everyone", "a"), await toSender.WaitAsync(_timeout));
            Assert.Equal(("ann", "hello, everyone", "a"), await toListener.WaitAsync(_timeout));
        }

        await Eventually.Until(() => Task.FromResult(_server.OpenConnections), open => open == 0, "no open connection after both clients stopped");
        Assert.Equal(2, _server.TotalConnections);
    }

    [Fact]
    public async Task Page_IsServedUnderTheBasePath_WithItsFiles_AndTheBarePathRedirectsToIt()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var bare = await http.GetAsync(new Uri(_server.HttpAddress, "chat?transport=LongPolling"), _timeout);
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("chat/?transport=LongPolling", bare.Headers.Location?.OriginalString);

        Assert.Equal(new Uri(_server.HttpAddress, "chat/"), _server.PageAddress);
        using var page = await http.GetAsync(_server.PageAddress, _timeout);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(_timeout);
        Assert.Contains("<script src=\"signalr.min.js\"", html);
        Assert.Contains("id=\"backend\"", html);
        Assert.Contains("connect-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());

        foreach (var file in new[] { "chat.js", "signalr.min.js" })
        {
            using var script = await http.GetAsync(new Uri(_server.PageAddress, file), _timeout);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"GET {file}: {(int)script.StatusCode} {await script.Content.ReadAsStringAsync(_timeout)}");
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("ok", await http.GetStringAsync(new Uri(_server.HttpAddress, "health"), _timeout));
        Assert.Equal("ok", await http.GetStringAsync(new Uri(_server.PageAddress, "health"), _timeout));
    }

    [Fact]
    public async Task BasePath_MovesThePageAndTheHub()
    {
        await using var server = await ChatServer.StartAsync(new ChatServerOptions { Id = "b", BasePath = "/apps/chat" }, _timeout);
        Assert.Equal(new Uri(server.HttpAddress, "apps/chat/hub"), server.HubAddress);

        var hub = Connect(server.HubAddress, HttpTransportType.ServerSentEvents);
        await using (hub)
        {
            await hub.StartAsync(_timeout);
            Assert.Equal("b", (await hub.InvokeAsync<WhoAmIReply>("WhoAmI", _timeout)).Backend);
        }

        using var http = new HttpClient();
        using var page = await http.GetAsync(server.PageAddress, _timeout);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("/chat/")]
    [InlineData("/")]
    [InlineData("/chat/{id}")]
    public async Task BasePath_NotAPlainPath_IsRefusedWithTheValueAndWhatIsAllowed(string basePath)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ChatServer.StartAsync(new ChatServerOptions { BasePath = basePath }, _timeout));

        Assert.Contains($"BasePath is '{basePath}'", error.Message);
        Assert.Contains("a leading '/', no trailing '/'", error.Message);
    }

    private static HubConnection Connect(Uri hubAddress, HttpTransportType transport) =>
        new HubConnectionBuilder().WithUrl(hubAddress, transport).Build();

    private static Task<(string Name, string Text, string Backend)> Received(HubConnection hub)
    {
        var received = new TaskCompletionSource<(string, string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<string, string, string>("message", (name, text, backend) => received.TrySetResult((name, text, backend)));
        return received.Task;
    }
}
