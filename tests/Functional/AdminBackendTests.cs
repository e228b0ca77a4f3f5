using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary><c>PUT</c> and <c>DELETE /pools/{pool}/backends/{id}</c>, made through one edge and seen through the other.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminBackendTests(AdminFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    private readonly AdminClient _admin = fixture.AdminOf(fixture.First);

    [Fact]
    public async Task PutBackend_NewId_Is201AndBothEdgesRouteToIt_ThenChangesAre200()
    {
        var c = Address("c");

        var added = await _admin.PutBackendAsync("upsert", "c", $$"""{ "address": "{{c}}/", "weight": 1 }""", _timeout);

        Assert.Equal(201, added.Code);
        Assert.Equal("/pools/upsert/backends/c", added.Headers.Location?.OriginalString);
        var backend = added.As<BackendStatusView>();
        Assert.Equal(("c", c, 1, 0, "active"), (backend.Id, backend.Address, backend.Weight, backend.MaxConnections, backend.AdminState));
        Assert.Equal(["a", "c"], (await fixture.Second.PoolAsync("upsert")).Backends.Select(b => b.Id));

        // Round robin over a and c, cluster-wide: two handshakes through the other edge reach both.
        var seen = new List<string>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var socket = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri("/upsert"), _timeout);
            seen.Add(await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }

        Assert.Equal(["a", "c"], seen.Order());

        var changed = await fixture.AdminOf(fixture.Second).PutBackendAsync("upsert", "c", $$"""{ "address": "{{c}}", "weight": 3, "maxConnections": 50 }""", _timeout);
        Assert.Equal(200, changed.Code);
        Assert.Equal((3, 50), (changed.As<BackendStatusView>().Weight, changed.As<BackendStatusView>().MaxConnections));
        var version = (await fixture.First.PoolAsync("upsert")).Version;

        var same = await _admin.PutBackendAsync("upsert", "c", $$"""{ "address": "{{c}}", "weight": 3, "maxConnections": 50 }""", _timeout);
        Assert.Equal(200, same.Code);
        Assert.Equal(version, (await fixture.Second.PoolAsync("upsert")).Version);
    }

    [Theory]
    [InlineData("""{ "address": "http://127.0.0.1:5001" }""", "address", "must be a ws:// or wss:// address")]
    [InlineData("""{ "address": "ws://127.0.0.1:5001/?room=1" }""", "address", "must be a ws:// or wss:// address")]
    [InlineData("""{ "weight": 2 }""", "address", "must be a ws:// or wss:// address")]
    [InlineData("""{ "address": null }""", "address", "must be a ws:// or wss:// address")]
    [InlineData("""{ "address": 5001 }""", "address", "address = '5001'")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "weight": 0 }""", "weight", "weight = '0': must be a whole number from 1 to 10000")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "weight": 10001 }""", "weight", "from 1 to 10000")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "weight": "2" }""", "weight", "weight = '\"2\"'")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "weight": 1.5 }""", "weight", "weight = '1.5'")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "maxConnections": -1 }""", "maxConnections", "from 0 to 2147483647")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "colour": "red" }""", "colour", "unknown field; the body takes address, weight, maxConnections")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", "Address": "ws://127.0.0.1:8" }""", "address", "given more than once")]
    [InlineData("""[ "ws://127.0.0.1:9" ]""", "body", "must be a JSON object")]
    [InlineData("""{ "address": "ws://127.0.0.1:9", """, "body", "must be valid JSON")]
    [InlineData("""{ "address": "ws://127.0.0.1:9" } // admin""", "body", "must be valid JSON")]
    [InlineData("", "body", "the body was empty")]
    public async Task PutBackend_BadBody_Is400NamingTheFieldAndChangesNothing(string json, string field, string detail)
    {
        var before = await fixture.First.PoolAsync("refusals");

        var response = await _admin.PutBackendAsync("refusals", "z", json, _timeout);

        Assert.Equal(400, response.Code);
        Assert.Equal([field], response.Fields);
        Assert.Contains(detail, response.Detail);
        await AssertUnchanged(before);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash%2Fin")]
    [InlineData("quote'")]
    public async Task PutBackend_BadId_Is400NamingTheId(string id)
    {
        var before = await fixture.First.PoolAsync("refusals");

        var response = await _admin.PutBackendAsync("refusals", id, """{ "address": "ws://127.0.0.1:9" }""", _timeout);

        Assert.Equal(400, response.Code);
        Assert.Equal(["id"], response.Fields);
        await AssertUnchanged(before);
    }

    [Fact]
    public async Task PutBackend_NotJson_Is415()
    {
        var response = await _admin.SendAsync(
            HttpMethod.Put,
            "/pools/refusals/backends/z",
            configure: r => r.Content = new FormUrlEncodedContent([new("address", "ws://127.0.0.1:9")]),
            cancellationToken: _timeout);

        Assert.Equal(415, response.Code);
        Assert.Contains("Content-Type: application/json", response.Detail);
    }

    [Fact]
    public async Task PutBackend_BodyOver64KiB_Is413AndChangesNothing()
    {
        var before = await fixture.First.PoolAsync("refusals");
        var json = $$"""{ "address": "ws://127.0.0.1:9", "padding": "{{new string('x', 70_000)}}" }""";

        var sized = await _admin.PutBackendAsync("refusals", "z", json, _timeout);
        var chunked = await _admin.SendAsync(
            HttpMethod.Put,
            "/pools/refusals/backends/z",
            configure: r => r.Content = new StreamContent(new ChunkedOnlyStream(json)) { Headers = { ContentType = new("application/json") } },
            cancellationToken: _timeout);

        Assert.Equal((413, 413), (sized.Code, chunked.Code));
        Assert.Contains("at most 65536 bytes", sized.Detail);
        await AssertUnchanged(before);
    }

    [Fact]
    public async Task PutBackend_AddressOfAnotherBackend_Is409NamingTheAddress()
    {
        var response = await _admin.PutBackendAsync("refusals", "z", $$"""{ "address": "{{Address("b").ToUpperInvariant()}}" }""", _timeout);

        Assert.Equal(409, response.Code);
        Assert.Equal(["address"], response.Fields);
        Assert.Contains("backend 'b' of pool 'refusals' already has this address", response.Detail);
    }

    [Fact]
    public async Task PutBackend_UnknownPool_Is404()
    {
        var response = await _admin.PutBackendAsync("nowhere", "z", """{ "address": "ws://127.0.0.1:9" }""", _timeout);

        Assert.Equal(404, response.Code);
        Assert.Contains("no pool 'nowhere'", response.Detail);
    }

    [Fact]
    public async Task DeleteBackend_WithLiveConnection_Is409_UntilForced_AndTheOpenTunnelStays()
    {
        var socket = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/remove"), _timeout);
        var busy = await socket.AskAsync("whoami", _timeout);
        var other = busy == "a" ? "b" : "a";

        var refused = await _admin.DeleteBackendAsync("remove", busy, cancellationToken: _timeout);

        Assert.Equal(409, refused.Code);
        Assert.Contains($"Backend '{busy}' of pool 'remove' has 1 live connection", refused.Detail);
        Assert.Equal(1, refused.Body.GetProperty("connections").GetInt64());
        Assert.Contains(busy, (await fixture.Second.PoolAsync("remove")).Backends.Select(b => b.Id));

        var forced = await fixture.AdminOf(fixture.Second).DeleteBackendAsync("remove", busy, "?force=true", _timeout);

        Assert.Equal(204, forced.Code);
        Assert.Equal([other], (await fixture.First.PoolAsync("remove")).Backends.Select(b => b.Id));
        Assert.Equal("still here", await socket.AskAsync("still here", _timeout));
        using (var next = await WebSocketClient.ConnectAsync(fixture.First.WebSocketUri("/remove"), _timeout))
        {
            Assert.Equal(other, await next.AskAsync("whoami", _timeout));
            await next.CloseQuietlyAsync(_timeout);
        }

        await socket.CloseQuietlyAsync(_timeout);
        Assert.Equal(404, (await _admin.DeleteBackendAsync("remove", busy, cancellationToken: _timeout)).Code);
    }

    [Fact]
    public async Task DeleteBackend_Idle_Is204()
    {
        await _admin.PutBackendAsync("remove", "idle", """{ "address": "ws://127.0.0.1:9" }""", _timeout);

        var response = await _admin.DeleteBackendAsync("remove", "idle", "?force=false", _timeout);

        Assert.Equal(204, response.Code);
        Assert.DoesNotContain("idle", (await fixture.Second.PoolAsync("remove")).Backends.Select(b => b.Id));
    }

    [Theory]
    [InlineData("/pools/nowhere/backends/a", "no pool 'nowhere'")]
    [InlineData("/pools/refusals/backends/zz", "Pool 'refusals' has no backend 'zz'")]
    public async Task DeleteBackend_Unknown_Is404(string path, string detail)
    {
        var response = await _admin.SendAsync(HttpMethod.Delete, path, cancellationToken: _timeout);

        Assert.Equal(404, response.Code);
        Assert.Contains(detail, response.Detail);
    }

    [Theory]
    [InlineData("?force=yes")]
    [InlineData("?force=")]
    [InlineData("?force=true&force=false")]
    public async Task DeleteBackend_BadForce_Is400NamingIt(string query)
    {
        var response = await _admin.DeleteBackendAsync("refusals", "a", query, _timeout);

        Assert.Equal(400, response.Code);
        Assert.Equal(["force"], response.Fields);
        Assert.Contains("a", (await fixture.First.PoolAsync("refusals")).Backends.Select(b => b.Id));
    }

    private string Address(string id) => fixture.Backends[id].WebSocketAddress.ToString().TrimEnd('/');

    private async Task AssertUnchanged(PoolStatusView before)
    {
        var after = await fixture.Second.PoolAsync(before.Name);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Backends.Select(b => (b.Id, b.Address, b.Weight, b.MaxConnections)), after.Backends.Select(b => (b.Id, b.Address, b.Weight, b.MaxConnections)));
    }

    /// <summary>A body of unknown length, so the client sends it chunked, without a Content-Length.</summary>
    private sealed class ChunkedOnlyStream(string text) : MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))
    {
        public override bool CanSeek => false;
    }
}
