using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Malformed and hostile handshakes over raw sockets: each gets its precise status and reaches no backend,
/// while a good client's tunnel on the same edge keeps working; a slow client is cut off; a flood from one
/// address leaves others served.
/// </summary>
[Collection(AdmissionCollection.Name)]
public sealed class HostileHandshakeTests(AdmissionFixture fixture)
{
    private const string Key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";

    private static readonly (string Name, string Request, int Status)[] Cases =
    [
        ("plain GET on a WebSocket-only pool", "GET /wsonly HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 426),
        ("Upgrade to another protocol on a WebSocket-only pool", RawHttp.Handshake("/wsonly", "Upgrade: h2c"), 426),
        ("no Connection: Upgrade", RawHttp.Handshake("/ws", "Connection: keep-alive"), 400),
        ("Connection: close", RawHttp.Handshake("/ws", "Connection: close"), 400),
        ("no Sec-WebSocket-Key", RawHttp.Handshake("/ws", "Sec-WebSocket-Key:"), 400),
        ("key not base64", RawHttp.Handshake("/ws", "Sec-WebSocket-Key: not*base64*at*all!!!!!!"), 400),
        ("key of 15 bytes", RawHttp.Handshake("/ws", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"), 400),
        ("key of 21 bytes", RawHttp.Handshake("/ws", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 400),
        ("two keys", RawHttp.Handshake("/ws", Key, "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="), 400),
        ("version 8", RawHttp.Handshake("/ws", "Sec-WebSocket-Version: 8"), 426),
        ("version list", RawHttp.Handshake("/ws", "Sec-WebSocket-Version: 13, 8"), 426),
        ("version not a number", RawHttp.Handshake("/ws", "Sec-WebSocket-Version: thirteen"), 426),
        ("no version", RawHttp.Handshake("/ws", "Sec-WebSocket-Version:"), 400),
        ("POST", RawHttp.Handshake("/ws").Replace("GET ", "POST ", StringComparison.Ordinal), 400),
        ("HTTP/1.0", RawHttp.Handshake("/ws").Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal), 400),
        ("a body", RawHttp.Handshake("/ws", "Content-Length: 5").Replace("\r\n\r\n", "\r\n\r\nhello", StringComparison.Ordinal), 400),
        ("a chunked body", RawHttp.Handshake("/ws", "Transfer-Encoding: chunked").Replace("\r\n\r\n", "\r\n\r\n0\r\n\r\n", StringComparison.Ordinal), 400),
        ("no Host", RawHttp.Handshake("/ws").Replace("Host: 127.0.0.1\r\n", "", StringComparison.Ordinal), 400),
        ("header line without a colon", RawHttp.Handshake("/ws", "X-Broken-Header-Line"), 400),
        ("header name with a space", RawHttp.Handshake("/ws", "Bad Name: x"), 400),
        ("path under no pool", RawHttp.Handshake("/nowhere"), 404),
        ("dot segments out of the pool", RawHttp.Handshake("/ws/../admin"), 404),
        ("a 10 KB path", RawHttp.Handshake("/ws/" + new string('a', 10_000)), 414),
        ("headers over 8 KiB", RawHttp.Handshake("/ws", "X-Padding: " + new string('p', 9_000)), 431),
        ("many small headers over 8 KiB", RawHttp.Handshake("/ws", [.. Enumerable.Range(0, 400).Select(i => $"X-H{i}: 0123456789")]), 431),
        ("CONNECT", "CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n", 404),
        ("extended CONNECT over HTTP/1.1", RawHttp.Handshake("/ws").Replace("GET ", "CONNECT ", StringComparison.Ordinal), 400),
        ("origin not allowed", RawHttp.Handshake("/origin", "Origin: https://evil.example"), 403),
        ("opaque origin", RawHttp.Handshake("/origin", "Origin: null"), 403),
    ];

    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task MalformedHandshakes_EachGetTheirStatus_ReachNoBackend_WhileAGoodTunnelKeepsWorking()
    {
        using var good = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/ws"), _timeout);
        var before = TotalBackendConnections();
        var seen = new List<string>();

        foreach (var (name, request, expected) in Cases)
        {
            var response = await RawHttp.SendAsync(fixture.First.HttpBase, request, _timeout);
            seen.Add($"{name}: {response.Status}");
            Assert.True(expected == response.Status, $"'{name}' expected {expected}, got {response.Status}: {response.Head}");
            Assert.Equal($"alive after {name}", await good.AskAsync($"alive after {name}", _timeout));
        }

        Assert.True(Cases.Length >= 20);
        Assert.Equal(before, TotalBackendConnections());
        await good.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task WrongVersion_Gets426_NamingVersion13()
    {
        var response = await RawHttp.SendAsync(fixture.First.HttpBase, RawHttp.Handshake("/ws", "Sec-WebSocket-Version: 7"), _timeout);

        Assert.Equal(426, response.Status);
        Assert.Contains("Sec-WebSocket-Version: 13", response.Head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SlowlorisHandshake_IsClosedByTheHandshakeTimeout_WhileAGoodTunnelKeepsWorking()
    {
        using var good = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/ws"), _timeout);
        using var slow = new TcpClient();
        await slow.ConnectAsync(fixture.First.HttpBase.Host, fixture.First.HttpBase.Port, _timeout);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"), _timeout);
        var closed = ReadUntilClosedAsync(stream);

        // A header byte every 100 ms keeps the connection busy but never finishes the handshake (HandshakeTimeout is 1 s).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!closed.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                await stream.WriteAsync("x"u8.ToArray(), _timeout);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(closed, Task.Delay(100, _timeout));
        }

        var answer = await closed.WaitAsync(TimeSpan.FromSeconds(5), _timeout);
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"expected the connection closed (or a 408), got: {answer}");
        Assert.Equal("still here", await good.AskAsync("still here", _timeout));
        await good.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task HandshakeFlood_FromOneAddress_IsLimited_WhileAnotherAddressIsServed()
    {
        static Action<ClientWebSocketOptions> From(string address) => o => o.SetRequestHeader("X-Forwarded-For", address);

        var flood = Enumerable.Range(0, 60).Select(async _ =>
        {
            try
            {
                using var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/rated"), _timeout, From("203.0.113.66"));
                await socket.CloseQuietlyAsync(_timeout);
                return 101;
            }
            catch (WebSocketException)
            {
                return 429;
            }
        }).ToList();
        using var other = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/rated"), _timeout, From("203.0.113.67"));
        var results = await Task.WhenAll(flood);

        Assert.Equal("served", await other.AskAsync("served", _timeout));
        Assert.InRange(results.Count(r => r == 101), 1, 2);
        await other.CloseQuietlyAsync(_timeout);
    }

    private long TotalBackendConnections() => fixture.Backends.Servers.Sum(s => s.TotalConnections + s.HttpRequests);

    private async Task<string> ReadUntilClosedAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, _timeout)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed all the same.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
