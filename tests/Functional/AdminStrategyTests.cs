using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge.Routing;
using WsOrleans.Routing;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary><c>PUT /pools/{pool}/strategy</c>: validated as configuration is, and followed by every edge.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminStrategyTests(AdminFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task PutStrategy_Hash_BothEdgesSendTheNewKey_SameRoomSameBackend()
    {
        var response = await fixture.AdminOf(fixture.Second).PutStrategyAsync("strategy", """{ "strategy": "hash", "hashKey": "query:room" }""", _timeout);

        Assert.Equal(200, response.Code);
        var pool = response.As<PoolStatusView>();
        Assert.Equal(("Hash", "query:room"), (pool.Strategy, response.Body.GetProperty("hashKey").GetString()));

        // Edges learn the key each handshake must carry from the registry, at their next refresh.
        foreach (var edge in new[] { fixture.First, fixture.Second })
        {
            await Eventually.Until(
                () => Task.FromResult(edge.Services.GetRequiredService<PoolRouteTable>().Routes.Single(r => r.Name == "strategy")),
                route => route.Key == new RequestKey(RequestKeyKind.Query, "room") && route.Version == pool.Version,
                "the edge's route for pool 'strategy' to carry query:room");
        }

        foreach (var room in new[] { "lobby", "games", "ops", "random" })
        {
            using var viaFirst = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri($"/strategy?room={room}"), _timeout);
            using var viaSecond = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri($"/strategy?room={room}"), _timeout);

            Assert.Equal(await viaFirst.AskAsync("whoami", _timeout), await viaSecond.AskAsync("whoami", _timeout));
            await viaFirst.CloseQuietlyAsync(_timeout);
            await viaSecond.CloseQuietlyAsync(_timeout);
        }

        var sticky = await fixture.AdminOf(fixture.First).PutStrategyAsync(
            "strategy", """{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "ttl": "00:30:00" } }""", _timeout);

        Assert.Equal(200, sticky.Code);
        Assert.Equal(("Sticky", "cookie:s"), (sticky.As<PoolStatusView>().Strategy, sticky.Body.GetProperty("affinityKey").GetString()));
        Assert.Equal("Sticky", (await fixture.Second.PoolAsync("strategy")).Strategy);
    }

    [Theory]
    [InlineData("""{ "strategy": "Fastest" }""", "strategy", "must be one of RoundRobin, LeastConnections, IpHash, Hash, Sticky")]
    [InlineData("""{ }""", "strategy", "must be one of")]
    [InlineData("""{ "strategy": 1 }""", "strategy", "strategy = '1'")]
    [InlineData("""{ "strategy": "Hash" }""", "hashKey", "required by the Hash strategy: query:NAME, header:NAME, cookie:NAME or path")]
    [InlineData("""{ "strategy": "Hash", "hashKey": "room" }""", "hashKey", "hashKey = 'room': must be query:NAME, header:NAME, cookie:NAME or path")]
    [InlineData("""{ "strategy": "Sticky" }""", "affinity.key", "required by the Sticky strategy: cookie:NAME, header:NAME or query:NAME")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "ttl": "00:10:00" } }""", "affinity.key", "required by the Sticky strategy")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "key": "path" } }""", "affinity.key", "affinity.key = 'path': must be cookie:NAME, header:NAME or query:NAME")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "ttl": "3600" } }""", "affinity.ttl", "must be a duration (hh:mm:ss, e.g. 00:00:02) from 00:00:01 to 30.00:00:00")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "ttl": "31.00:00:00" } }""", "affinity.ttl", "from 00:00:01 to 30.00:00:00")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "when": 1 } }""", "affinity.when", "unknown field; affinity takes key, cookie, ttl")]
    [InlineData("""{ "strategy": "Sticky", "affinity": "cookie:s" }""", "affinity", "must be a JSON object with the fields key, cookie, ttl")]
    [InlineData("""{ "strategy": "RoundRobin", "path": "/x" }""", "path", "unknown field; the body takes strategy, hashKey, affinity")]
    [InlineData("""{ "strategy": "RoundRobin", "affinity": { "cookie": "a b" } }""", "affinity.cookie", "affinity.cookie = 'a b': must be a cookie name")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "cookie": "srv" } }""", "affinity.cookie", "does not work with the Sticky strategy")]
    [InlineData("""{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "cookie": "srv" } }""", "affinity.cookie", "cannot be set together with affinity.key")]
    public async Task PutStrategy_BadBody_Is400NamingTheFieldAndChangesNothing(string json, string field, string detail)
    {
        var before = await fixture.First.PoolAsync("refusals");

        var response = await fixture.AdminOf(fixture.First).PutStrategyAsync("refusals", json, _timeout);

        Assert.Equal(400, response.Code);
        Assert.Equal([field], response.Fields);
        Assert.Contains(detail, response.Detail);
        var after = await fixture.Second.PoolAsync("refusals");
        Assert.Equal((before.Strategy, before.Version), (after.Strategy, after.Version));
    }

    [Fact]
    public async Task PutStrategy_AffinityCookie_BothEdgesIssueIt_AndEitherHonoursTheOthers()
    {
        var response = await fixture.AdminOf(fixture.First).PutStrategyAsync("cookies", """{ "strategy": "RoundRobin", "affinity": { "cookie": "srv", "ttl": "00:30:00" } }""", _timeout);

        Assert.Equal(200, response.Code);
        var pool = await fixture.Second.PoolAsync("cookies");
        foreach (var edge in new[] { fixture.First, fixture.Second })
        {
            // Each edge takes the change with its next read of the routes (WsOrleans:Edge:RouteRefreshInterval).
            await Eventually.Until(
                () => Task.FromResult(edge.Services.GetRequiredService<PoolRouteTable>().Match("/cookies")?.AffinityCookie),
                cookie => cookie?.Name == "srv",
                "the edge's route table to have the pool's affinity cookie");
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var first = await http.GetAsync(new Uri(fixture.First.HttpBase, "/cookies/x"), _timeout);
        var cookie = (Backend: first.Headers.GetValues("X-Backend").Single(), Cookie: first.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        Assert.Contains("max-age=1800", (await http.GetAsync(new Uri(fixture.First.HttpBase, "/cookies/y"), _timeout)).Headers.GetValues("Set-Cookie").Single());
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Second.HttpBase, "/cookies/again"));
            request.Headers.Add("Cookie", cookie.Cookie);
            using var answer = await http.SendAsync(request, _timeout);
            Assert.Equal(cookie.Backend, answer.Headers.GetValues("X-Backend").Single());
        }

        Assert.Equal("RoundRobin", pool.Strategy);
    }

    [Fact]
    public async Task PutStrategy_UnknownPool_Is404()
    {
        var response = await fixture.AdminOf(fixture.First).PutStrategyAsync("nowhere", """{ "strategy": "RoundRobin" }""", _timeout);

        Assert.Equal(404, response.Code);
        Assert.Contains("no pool 'nowhere'", response.Detail);
    }
}
