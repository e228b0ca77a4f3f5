using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>What passes through an established tunnel: messages, closes and the handshake itself.</summary>
[Collection(EmbeddedEdgeCollection.Name)]
public sealed class TunnelTests(EmbeddedEdgeFixture fixture) : TunnelTestsBase(fixture);

/// <summary>The same, on .NET's async sockets.</summary>
[Collection(ManagedEdgeCollection.Name)]
public sealed class ManagedTunnelTests(ManagedEdgeFixture fixture) : TunnelTestsBase(fixture);

public abstract class TunnelTestsBase(EmbeddedEdgeFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Echo_TextAndBinary_RoundTripThroughTheEdge()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout);

        Assert.Equal("héllo, wörld", await socket.AskAsync("héllo, wörld", _timeout));
        await socket.SendAsync(new byte[] { 0, 1, 2, 255 }, WebSocketMessageType.Binary, true, _timeout);
        var (type, payload) = await socket.ReceiveMessageAsync(_timeout);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, payload);
        Assert.Contains(await socket.AskAsync("whoami", _timeout), new[] { "a", "b", "c" });
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Echo_4MiBBinaryAnd1MiBTextMessages_ArriveByteExact()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout);
        var binary = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(binary);
        var text = string.Concat(Enumerable.Repeat("WebSocket ✓ ", 1024 * 1024 / 12));

        var sendBinary = socket.SendAsync(binary, WebSocketMessageType.Binary, true, _timeout);
        var echoedBinary = await socket.ReceiveMessageAsync(_timeout);
        await sendBinary;
        var sendText = socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _timeout);
        var echoedText = await socket.ReceiveTextAsync(_timeout);
        await sendText;

        Assert.Equal(WebSocketMessageType.Binary, echoedBinary.Type);
        Assert.True(binary.AsSpan().SequenceEqual(echoedBinary.Payload), $"4 MiB message came back as {echoedBinary.Payload.Length} bytes that differ");
        Assert.Equal(text, echoedText);
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Close_FromClient_CodeAndReasonReachBackendAndComeBack()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout);

        await socket.CloseAsync((WebSocketCloseStatus)4001, "client says bye", _timeout);

        Assert.Equal(((WebSocketCloseStatus)4001, "client says bye"), (socket.CloseStatus, socket.CloseStatusDescription));
    }

    [Fact]
    public async Task Close_FromBackend_CodeAndReasonReachClient()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout);

        await socket.SendTextAsync("close:4002:server says bye", _timeout);
        var (type, _) = await socket.ReceiveMessageAsync(_timeout);

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(((WebSocketCloseStatus)4002, "server says bye"), (socket.CloseStatus, socket.CloseStatusDescription));
    }

    [Fact]
    public async Task Handshake_QuerySubprotocolAndHeaders_ReachBackend_WithForwardedHeaders()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws/room/7?room=7&name=x%20y"), _timeout, options =>
        {
            options.AddSubProtocol("chat.v2");
            options.AddSubProtocol("chat.v1");
            options.SetRequestHeader("X-Custom", "custom value");
            options.SetRequestHeader("X-Forwarded-For", "6.6.6.6");
            options.SetRequestHeader("Forwarded", "for=6.6.6.6");
            options.SetRequestHeader("X-Real-IP", "6.6.6.6");
        });

        using var seen = JsonDocument.Parse(await socket.AskAsync("handshake", _timeout));
        var root = seen.RootElement;
        var headers = root.GetProperty("headers");

        Assert.Equal("chat.v2", socket.SubProtocol);
        Assert.Equal(("/ws/room/7", "?room=7&name=x%20y", "chat.v2"), (root.GetProperty("path").GetString(), root.GetProperty("query").GetString(), root.GetProperty("subProtocol").GetString()));
        Assert.Equal("custom value", headers.GetProperty("X-Custom").GetString());
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
        Assert.Equal(fixture.Edge.HttpBase.Authority, headers.GetProperty("X-Forwarded-Host").GetString());
        Assert.False(headers.TryGetProperty("Forwarded", out _), "a client's Forwarded header must not reach the backend");
        Assert.False(headers.TryGetProperty("X-Real-IP", out _), "a client's X-Real-IP header must not reach the backend");
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Handshake_PermessageDeflateOffered_IsNegotiatedWithTheBackend()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/ws"), _timeout, options =>
            options.DangerousDeflateOptions = new WebSocketDeflateOptions());

        var extensions = socket.HttpResponseHeaders!.Single(h => h.Key.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Contains("permessage-deflate", string.Join(",", extensions));
        var repetitive = string.Concat(Enumerable.Repeat("compress me ", 10_000));
        Assert.Equal(repetitive, await socket.AskAsync(repetitive, _timeout));
        await socket.CloseQuietlyAsync(_timeout);
    }
}
