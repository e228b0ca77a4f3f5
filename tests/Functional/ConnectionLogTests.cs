using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>One structured log line when a tunnel opens and one when it closes, with the fields an operator needs.</summary>
public sealed class ConnectionLogTests
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Theory]
    [InlineData("EventLoop", "event-loop")]
    [InlineData("Managed", "socket")]
    public async Task Tunnel_OpenAndClose_AreLoggedWithWhoWhereHowMuchAndWhoClosed(string engine, string carrier)
    {
        await using var backends = await EchoBackends.StartAsync(1);
        var logs = new CapturingLoggerProvider();
        await using var edge = await TestEdge.StartAsync([.. backends.AsBackendsOf("default"), new("Logging:LogLevel:WsOrleans.Connections", "Information"), new("WsOrleans:Edge:Tunnel", engine)], builder => builder.Services.AddSingleton<ILoggerProvider>(logs));

        using (var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), _timeout))
        {
            Assert.Equal("one", await socket.AskAsync("one", _timeout));
            Assert.Equal("two", await socket.AskAsync("two", _timeout));
            await socket.CloseAsync((WebSocketCloseStatus)4001, "done", _timeout);
        }

        var closed = await Eventually.Until(
            () => Task.FromResult(logs.Entries.SingleOrDefault(e => e.EventId.Name == "TunnelClosed")),
            entry => entry is not null,
            "a TunnelClosed log entry");
        var opened = logs.Entries.Single(e => e.EventId.Name == "TunnelOpened");

        Assert.Equal(opened.Fields["ConnectionId"], closed!.Fields["ConnectionId"]);
        Assert.Equal(("127.0.0.1", "default", "a"), (opened.Fields["ClientAddress"], opened.Fields["Pool"], opened.Fields["Backend"]));
        Assert.Equal(backends["a"].WebSocketAddress.ToString().TrimEnd('/'), opened.Fields["BackendAddress"]);
        Assert.Equal(carrier, opened.Fields["Carrier"]);
        Assert.Equal(("client", 4001), (closed.Fields["ClosedBy"], closed.Fields["CloseCode"]));
        Assert.Equal((2L, 2L), (closed.Fields["MessagesToBackend"], closed.Fields["MessagesToClient"]));
        Assert.True((long)closed.Fields["BytesToBackend"]! > 2 * 3 && (long)closed.Fields["BytesToClient"]! > 2 * 3, closed.Message);
        Assert.True((long)closed.Fields["DurationMs"]! >= 0);
    }
}
