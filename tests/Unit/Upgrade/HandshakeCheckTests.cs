using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using WsOrleans.Edge.Upgrade;

namespace WsOrleans.Tests.Unit.Upgrade;

/// <summary>Which requests are WebSocket handshakes, and what a malformed one is told before anything is forwarded.</summary>
public sealed class HandshakeCheckTests
{
    [Fact]
    public void WellFormedHandshake_PassesAndIsAHandshake()
    {
        var context = Handshake();

        Assert.True(HandshakeCheck.IsHandshake(context));
        Assert.Null(HandshakeCheck.Check(context));
    }

    [Fact]
    public void PlainRequest_IsNotAHandshake()
    {
        var context = Handshake();
        context.Request.Headers.Remove("Upgrade");

        Assert.False(HandshakeCheck.IsHandshake(context));
    }

    [Theory]
    [InlineData("Connection", "keep-alive", 400, "A WebSocket handshake needs 'Connection: Upgrade'.")]
    [InlineData("Sec-WebSocket-Key", "short", 400, "Sec-WebSocket-Key must be one base64-encoded 16-byte value.")]
    [InlineData("Sec-WebSocket-Version", "8", 426, "Unsupported Sec-WebSocket-Version: this edge speaks version 13.")]
    [InlineData("Sec-WebSocket-Version", null, 400, "Sec-WebSocket-Version is missing: send Sec-WebSocket-Version: 13.")]
    public void MalformedHeader_GetsAPreciseRefusal(string header, string? value, int status, string message)
    {
        var context = Handshake();
        if (value is null)
        {
            context.Request.Headers.Remove(header);
        }
        else
        {
            context.Request.Headers[header] = value;
        }

        Assert.Equal((status, message), Problem(context));
    }

    [Fact]
    public void WrongVersion_SaysWhichOneInTheAnswer()
    {
        var context = Handshake();
        context.Request.Headers.SecWebSocketVersion = "8";

        var problem = HandshakeCheck.Check(context)!;

        Assert.Equal(("Sec-WebSocket-Version", "13"), (problem.HeaderName, problem.HeaderValue));
    }

    [Fact]
    public void Post_IsRefused()
    {
        var context = Handshake();
        context.Request.Method = "POST";

        Assert.Equal((400, "A WebSocket handshake must be a GET, not POST."), Problem(context));
    }

    [Fact]
    public void HandshakeWithABody_IsRefused()
    {
        var context = Handshake(upgradable: false);

        Assert.Equal((400, "A WebSocket handshake must not have a body."), Problem(context));
    }

    [Fact]
    public void Http10_IsRefused()
    {
        var context = Handshake();
        context.Request.Protocol = "HTTP/1.0";

        Assert.Equal((400, "A WebSocket handshake needs HTTP/1.1 or later, not HTTP/1.0."), Problem(context));
    }

    private static (int, string) Problem(HttpContext context) => HandshakeCheck.Check(context) is { } problem ? (problem.StatusCode, problem.Message) : (0, "");

    private static DefaultHttpContext Handshake(bool upgradable = true)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(new UpgradeFeature(upgradable));
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Method = "GET";
        context.Request.Headers.Upgrade = "websocket";
        context.Request.Headers.Connection = "keep-alive, Upgrade";
        context.Request.Headers.SecWebSocketKey = "dGhlIHNhbXBsZSBub25jZQ==";
        context.Request.Headers.SecWebSocketVersion = "13";
        return context;
    }

    private sealed class UpgradeFeature(bool upgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => upgradable;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }
}
