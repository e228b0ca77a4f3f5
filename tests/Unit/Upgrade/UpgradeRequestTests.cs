using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Upgrade;

namespace WsOrleans.Tests.Unit.Upgrade;

/// <summary>The request a backend is sent for a client's WebSocket handshake.</summary>
public sealed class UpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Fact]
    public void Http11Handshake_CarriesPathUnderTheBasePath_QueryHostAndTheClientsHeaders_WithoutHopByHopOnes()
    {
        var context = Handshake("HTTP/1.1", "/ws/room", "?x=1%202");
        context.Request.Headers["Sec-WebSocket-Protocol"] = new(["chat.v2", "chat.v1"]);
        context.Request.Headers["Keep-Alive"] = "timeout=5";
        context.Request.Headers["X-Custom"] = "yes";

        var (head, madeKey) = Write(context, "ws://127.0.0.1:5001/base");

        Assert.Null(madeKey);
        Assert.Equal(
            "GET /base/ws/room?x=1%202 HTTP/1.1\r\n"
            + "Host: edge.example\r\nSec-WebSocket-Key: " + Key + "\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: chat.v2\r\nSec-WebSocket-Protocol: chat.v1\r\nX-Custom: yes\r\n"
            + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
            + "X-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: edge.example\r\n\r\n",
            head);
    }

    [Fact]
    public void ForwardingHeadersTheClientSent_AreReplacedByTheEdges()
    {
        var context = Handshake("HTTP/1.1", "/ws", "");
        context.Request.Headers["X-Forwarded-For"] = "10.9.9.9";
        context.Request.Headers["Forwarded"] = "for=10.9.9.9";
        context.Request.Headers["X-Real-IP"] = "10.9.9.9";

        var (head, _) = Write(context, "ws://127.0.0.1:5001");

        Assert.DoesNotContain("10.9.9.9", head);
        Assert.Contains("X-Forwarded-For: 192.0.2.7\r\n", head);
    }

    [Fact]
    public void AffinityCookie_IsLeftOut_OtherCookiesGoAsOneHeader()
    {
        var context = Handshake("HTTP/2", "/ws", "");
        context.Request.Headers.Cookie = new(["a=1; wsorleans_chat=b.1.sig", "c=3"]);

        var (head, _) = Write(context, "ws://127.0.0.1:5001", affinityCookie: "wsorleans_chat");

        Assert.Contains("Cookie: a=1; c=3\r\n", head);
        Assert.DoesNotContain("wsorleans_chat", head);
    }

    [Fact]
    public void Http2ExtendedConnect_BecomesAnUpgradeWithAKeyTheEdgeMade()
    {
        var context = Handshake("HTTP/2", "/ws", "");
        context.Request.Headers.Remove("Sec-WebSocket-Key");

        var (head, madeKey) = Write(context, "ws://127.0.0.1:5001");

        Assert.NotNull(madeKey);
        Assert.Equal(16, Convert.FromBase64String(madeKey).Length);
        Assert.Contains($"Sec-WebSocket-Key: {madeKey}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n", head);
    }

    [Fact]
    public void Accept_IsTheOneOfRfc6455sExample()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeRequest.Accept(Key));
    }

    private static DefaultHttpContext Handshake(string protocol, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("edge.example");
        context.Request.Headers["Sec-WebSocket-Key"] = Key;
        context.Request.Headers["Sec-WebSocket-Version"] = "13";
        context.Request.Headers.Connection = "Upgrade";
        context.Request.Headers.Upgrade = "websocket";
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        return context;
    }

    private static (string Head, string? MadeKey) Write(HttpContext context, string address, string? affinityCookie = null)
    {
        var output = new ArrayBufferWriter<byte>();
        var madeKey = UpgradeRequest.Write(context, BackendAddress.Of(address), affinityCookie, output);
        return (Encoding.Latin1.GetString(output.WrittenSpan), madeKey);
    }
}
