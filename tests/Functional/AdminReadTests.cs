using System.Text.Json.Nodes;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary><c>GET /pools</c>, <c>/pools/{pool}</c> and <c>/pools/{pool}/backends/{id}</c>: open like /status, same shapes.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminReadTests(AdminFixture fixture)
{
    private readonly AdminClient _anonymous = fixture.AdminOf(fixture.First, apiKey: null);

    [Fact]
    public async Task GetPools_WithoutKey_AnswersThePoolEntriesOfStatus()
    {
        var pools = await _anonymous.GetAsync("/pools");
        var status = await _anonymous.GetAsync("/status");

        Assert.Equal(200, pools.Code);
        Assert.Equal("application/json", pools.MediaType);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(status.Body.GetProperty("pools").GetRawText()), JsonNode.Parse(pools.Body.GetProperty("pools").GetRawText())),
            $"GET /pools {pools.Body} differs from the pools of GET /status {status.Body}");
    }

    [Fact]
    public async Task GetPool_AnswersItsStatusEntry()
    {
        var response = await _anonymous.GetAsync("/pools/reads");

        Assert.Equal(200, response.Code);
        var pool = response.As<PoolStatusView>();
        Assert.Equal(("reads", "/reads", "RoundRobin"), (pool.Name, pool.Path, pool.Strategy));
        Assert.Equal(["a", "b"], pool.Backends.Select(b => b.Id));
        Assert.Equal(
            (await fixture.Second.PoolAsync("reads")).Backends.Select(b => (b.Id, b.Address, b.AdminState)),
            pool.Backends.Select(b => (b.Id, b.Address, b.AdminState)));
    }

    [Fact]
    public async Task GetBackend_AnswersItsStatusEntry()
    {
        var response = await _anonymous.GetAsync("/pools/reads/backends/b");

        Assert.Equal(200, response.Code);
        var backend = response.As<BackendStatusView>();
        Assert.Equal(("b", fixture.Backends["b"].WebSocketAddress.ToString().TrimEnd('/'), 1, "active"), (backend.Id, backend.Address, backend.Weight, backend.AdminState));
    }

    [Theory]
    [InlineData("/pools/nowhere", "no pool 'nowhere'")]
    [InlineData("/pools/nowhere/backends/a", "no pool 'nowhere'")]
    [InlineData("/pools/reads/backends/zz", "Pool 'reads' has no backend 'zz'")]
    [InlineData("/pools/not%20a%20pool", "no pool 'not a pool'")]
    public async Task Get_UnknownPoolOrBackend_Is404Problem(string path, string detail)
    {
        var response = await _anonymous.GetAsync(path);

        Assert.Equal(404, response.Code);
        Assert.Contains(detail, response.Detail);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem_AndWrongMethodIs405WithAllow()
    {
        var unknown = await _anonymous.GetAsync("/pools/reads/nothing");
        Assert.Equal(404, unknown.Code);
        Assert.Contains("no route /pools/reads/nothing", unknown.Detail);

        var wrongMethod = await fixture.AdminOf(fixture.First).SendAsync(HttpMethod.Post, "/pools/reads");
        Assert.Equal(405, wrongMethod.Code);
        Assert.Contains("POST is not allowed", wrongMethod.Detail);
    }
}
