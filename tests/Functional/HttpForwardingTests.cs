using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Plain HTTP on a pool's path, as SignalR and Socket.IO send it beside their WebSockets: forwarded to a
/// backend of the pool with bodies streamed both ways, events passed on as the backend flushes them, held
/// requests counted as live connections, and the pool's rules (retries, 503) as for handshakes.
/// </summary>
[Collection(HttpForwardingCollection.Name)]
public sealed class HttpForwardingTests(HttpForwardingFixture fixture)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false });
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private Uri At(string pathAndQuery) => new(fixture.Edge.HttpBase, pathAndQuery);

    [Fact]
    public async Task Get_OnAPoolPath_ReachesABackend_AsTheClientSentIt_WithForwardedHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, At("/ws/negotiate?negotiateVersion=1&id=x%20y"));
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await Http.SendAsync(request, _timeout);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_timeout));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var backend = response.Headers.GetValues("X-Backend").Single();
        Assert.Equal(backend, seen.RootElement.GetProperty("id").GetString());
        Assert.Equal("/ws/negotiate", seen.RootElement.GetProperty("path").GetString());
        Assert.Equal("?negotiateVersion=1&id=x%20y", seen.RootElement.GetProperty("query").GetString());
        var headers = seen.RootElement.GetProperty("headers");
        Assert.Equal("kept", headers.GetProperty("X-Custom").GetString());
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("http", headers.GetProperty("X-Forwarded-Proto").GetString());
    }

    [Theory]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("POST", true)]
    public async Task RequestWithABody_OfFourMegabytes_ComesBackByteForByte(string method, bool chunked)
    {
        var body = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), At("/ws/upload")) { Content = content }, _timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync(_timeout));
    }

    [Fact]
    public async Task EventStream_EachEventReachesTheClientAsTheBackendFlushesIt()
    {
        // The backend sends one event, then waits 30 s before the next: a proxy that buffered would hold the first.
        using var response = await Http.GetAsync(At("/ws/events?count=2&interval=30000"), HttpCompletionOption.ResponseHeadersRead, _timeout);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_timeout));
        using var firstEvent = CancellationTokenSource.CreateLinkedTokenSource(_timeout);
        firstEvent.CancelAfter(TimeSpan.FromSeconds(15));

        var lines = new List<string>();
        while (lines.LastOrDefault()?.StartsWith("data:", StringComparison.Ordinal) != true)
        {
            lines.Add(await reader.ReadLineAsync(firstEvent.Token) ?? throw new InvalidOperationException("the stream ended"));
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["id: 1", $"data: {response.Headers.GetValues("X-Backend").Single()} 1"], lines);
    }

    [Fact]
    public async Task HeldRequest_LongerThanTheHandshakeTimeout_IsAnswered_AndCountsAsALiveConnectionMeanwhile()
    {
        // 4 s: longer than the 1 s a backend has to answer a handshake, shorter than the 6 s a plain request may idle.
        var held = Http.GetAsync(At("/ws/hold?ms=4000"), _timeout);
        var live = await Eventually.Until(
            async () => (await fixture.Edge.PoolAsync("default")).Backends.Sum(b => b.Connections),
            count => count == 1,
            "the held request to count as one live connection");

        using var response = await held;

        Assert.Equal(1, live);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("held the request for 4000 ms", await response.Content.ReadAsStringAsync(_timeout));
        await Eventually.Until(
            async () => (await fixture.Edge.PoolAsync("default")).Backends.Sum(b => b.Connections),
            count => count == 0,
            "the count to go back to 0 once the request was answered");
    }

    [Fact]
    public async Task HeldRequest_IdleLongerThanHttpActivityTimeout_Gets504()
    {
        using var response = await Http.GetAsync(At("/ws/hold?ms=20000"), _timeout);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Requests_ToAPoolWhoseBackendIsDown_AreRetriedOnAnother_NoClientSeesAnError()
    {
        var statuses = new List<(HttpStatusCode Status, string Backend)>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await Http.PostAsync(At("/flaky/send"), new StringContent($"message {i}"), _timeout);
            Assert.Equal($"message {i}", await response.Content.ReadAsStringAsync(_timeout));
            statuses.Add((response.StatusCode, response.Headers.GetValues("X-Backend").Single()));
        }

        Assert.All(statuses, s => Assert.Equal((HttpStatusCode.OK, "a"), s));
        Assert.Contains(fixture.Logs.Entries, e => e.Message.StartsWith("Backend dead of pool flaky", StringComparison.Ordinal) && e.Message.Contains("could not be reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_ToAPoolWhoseBackendHangsInTheTlsHandshake_AreRetriedOnAnother()
    {
        for (var i = 0; i < 4; i++)
        {
            using var response = await Http.PostAsync(At("/hung/send"), new StringContent($"message {i}"), _timeout);
            Assert.Equal((HttpStatusCode.OK, "a"), (response.StatusCode, response.Headers.GetValues("X-Backend").Single()));
            Assert.Equal($"message {i}", await response.Content.ReadAsStringAsync(_timeout));
        }

        Assert.Contains(fixture.Logs.Entries, e => e.Message.StartsWith("Backend hung of pool hung", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedRequests_LeaveTheirQueryStringOutOfTheLog_EvenAtInformation()
    {
        var logs = new CapturingLoggerProvider();
        await using var edge = await TestEdge.StartAsync(
            [.. fixture.Backends.AsBackendsOf("default"), new("Logging:LogLevel:Default", "Information")],
            builder => builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));

        using var response = await Http.GetAsync(new Uri(edge.HttpBase, "/ws/hub?access_token=secret-token-123"), _timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("secret-token-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_ToAPoolWithoutBackends_Gets503WithRetryAfter()
    {
        using var response = await Http.GetAsync(At("/empty/negotiate"), _timeout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("pool 'empty'", await response.Content.ReadAsStringAsync(_timeout));
    }

    [Fact]
    public async Task RequestAskingToUpgradeToAnotherProtocol_IsForwardedAsAPlainRequest()
    {
        var response = await RawHttp.SendAsync(fixture.Edge.HttpBase, "GET /ws/h2c HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n", _timeout);

        // The body is chunked; the JSON report inside it lists the headers the backend saw.
        Assert.Equal(200, response.Status);
        Assert.Contains("\"path\":\"/ws/h2c\"", response.Body);
        Assert.DoesNotContain("\"Upgrade\"", response.Body);
    }

    [Fact]
    public async Task Requests_AreCountedByBackendAndStatusClass_AndALongOneIsLogged()
    {
        using (await Http.GetAsync(At("/ws/metered"), _timeout))
        using (await Http.GetAsync(At("/ws/logged/hold?ms=1200"), _timeout))
        using (await Http.GetAsync(At("/empty/metered"), _timeout))
        {
        }

        var metrics = await PrometheusText.ScrapeAsync(fixture.Edge.ManagementBase, _timeout);
        Assert.True(PrometheusText.Value(metrics, "wsorleans_edge_http_requests_total", "pool=\"default\",status_class=\"2xx\"") >= 2, metrics);
        Assert.True(PrometheusText.Value(metrics, "wsorleans_edge_http_requests_total", "backend=\"\",pool=\"empty\",status_class=\"5xx\"") >= 1, metrics);
        var logged = Assert.Single(fixture.Logs.Entries, e => e.EventId.Name == "LongRequest" && (string?)e.Fields["Path"] == "/ws/logged/hold" && (int?)e.Fields["Status"] == 200);
        Assert.Equal(("GET", "default", "127.0.0.1"), (logged.Fields["Method"], logged.Fields["Pool"], logged.Fields["ClientAddress"]));
        Assert.True((long)logged.Fields["DurationMs"]! >= 1000, logged.Message);
    }

    /// <summary>A body whose length the client does not announce, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
