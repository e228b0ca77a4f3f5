using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>A pool's admission as clients see it: allowed origins, the per-address cap across edges, the handshake rate, trusted proxies.</summary>
[Collection(AdmissionCollection.Name)]
public sealed class AdmissionTests(AdmissionFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Handshake_FromAnOriginNotAllowed_Gets403_AndReachesNoBackend()
    {
        var before = TotalBackendConnections();

        var (status, _) = await WebSocketClient.RefusedAsync(fixture.First.WebSocketUri("/origin"), _timeout, o => o.SetRequestHeader("Origin", "https://evil.example"));

        Assert.Equal(403, status);
        Assert.Equal(before, TotalBackendConnections());
    }

    [Theory]
    [InlineData(AdmissionFixture.GoodOrigin)]
    [InlineData("HTTPS://Chat.Example.com:443")]
    [InlineData(null)]
    public async Task Handshake_FromAnAllowedOriginOrNone_IsTunnelled(string? origin)
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/origin"), _timeout, o =>
        {
            if (origin is not null)
            {
                o.SetRequestHeader("Origin", origin);
            }
        });

        Assert.Equal("ping", await socket.AskAsync("ping", _timeout));
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Handshakes_OverTheAddressCap_Get429AcrossBothEdges_UntilOneCloses()
    {
        // Both edges see this test's client as 127.0.0.1 (the first trusts loopback but is sent no X-Forwarded-For).
        var first = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/capped"), _timeout);
        var second = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri("/capped"), _timeout);

        var (status, headers) = await WebSocketClient.RefusedAsync(fixture.First.WebSocketUri("/capped"), _timeout);
        Assert.Equal(429, status);
        Assert.Equal("5", headers["Retry-After"].Single());
        (status, _) = await WebSocketClient.RefusedAsync(fixture.Second.WebSocketUri("/capped"), _timeout);
        Assert.Equal(429, status);

        // Another address is not held back by this one.
        using (var other = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/capped"), _timeout, o => o.SetRequestHeader("X-Forwarded-For", "198.51.100.7")))
        {
            Assert.Equal("other", await other.AskAsync("other", _timeout));
            await other.CloseQuietlyAsync(_timeout);
        }

        await second.CloseQuietlyAsync(_timeout);
        using var third = await Eventually.Until(
            () => TryConnect(fixture.Second.WebSocketUri("/capped")),
            s => s is not null,
            "a third connection from 127.0.0.1 once one of its two closed");
        Assert.Equal("again", await third!.AskAsync("again", _timeout));

        await first.CloseQuietlyAsync(_timeout);
        await third!.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Handshakes_OverTheRate_Get429WithRetryAfter_OtherAddressesUnaffected()
    {
        static Action<ClientWebSocketOptions> From(string address) => o => o.SetRequestHeader("X-Forwarded-For", address);

        for (var i = 0; i < 2; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/rated"), _timeout, From("203.0.113.10"));
            await socket.CloseQuietlyAsync(_timeout);
        }

        var (status, headers) = await WebSocketClient.RefusedAsync(fixture.First.WebSocketUri("/rated"), _timeout, From("203.0.113.10"));

        Assert.Equal(429, status);
        Assert.InRange(int.Parse(headers["Retry-After"].Single()), 1, 1000);
        using var other = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/rated"), _timeout, From("203.0.113.11"));
        await other.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task PlainRequests_OverTheirOwnRate_Get429WithRetryAfter_HandshakesAndOtherAddressesUnaffected()
    {
        using var http = new HttpClient();
        async Task<HttpResponseMessage> GetAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.First.HttpBase, "/rated/poll"));
            request.Headers.Add("X-Forwarded-For", address);
            return await http.SendAsync(request, _timeout);
        }

        for (var i = 0; i < 3; i++)
        {
            using var admitted = await GetAsync("203.0.113.20");
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await GetAsync("203.0.113.20");
        using var other = await GetAsync("203.0.113.21");
        using var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/rated"), _timeout, o => o.SetRequestHeader("X-Forwarded-For", "203.0.113.20"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many requests from 203.0.113.20", await refused.Content.ReadAsStringAsync(_timeout));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task XForwardedFor_FromATrustedProxy_NamesTheClient_ToTheBackend()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/ws"), _timeout, o => o.SetRequestHeader("X-Forwarded-For", "192.0.2.1, 198.51.100.20"));

        using var handshake = JsonDocument.Parse(await socket.AskAsync("handshake", _timeout));

        Assert.Equal("198.51.100.20", handshake.RootElement.GetProperty("headers").GetProperty("X-Forwarded-For").GetString());
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task XForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri("/ws"), _timeout, o => o.SetRequestHeader("X-Forwarded-For", "192.0.2.99"));

        using var handshake = JsonDocument.Parse(await socket.AskAsync("handshake", _timeout));

        Assert.Equal("127.0.0.1", handshake.RootElement.GetProperty("headers").GetProperty("X-Forwarded-For").GetString());
        await socket.CloseQuietlyAsync(_timeout);
    }

    private long TotalBackendConnections() => fixture.Backends.Servers.Sum(s => s.TotalConnections);

    private async Task<ClientWebSocket?> TryConnect(Uri uri)
    {
        try
        {
            return await WebSocketClient.ConnectAsync(uri, _timeout);
        }
        catch (WebSocketException)
        {
            return null;
        }
    }
}
