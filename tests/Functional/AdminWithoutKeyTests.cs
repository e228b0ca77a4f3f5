using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// An edge with no ApiKey (so its management listener is on loopback) takes changes without
/// credentials, but not from anything a web page could make a browser send.
/// </summary>
public sealed class AdminWithoutKeyTests : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
    private TestEdge _edge = null!;
    private AdminClient _admin = null!;

    public async Task InitializeAsync()
    {
        _edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Pools:open:Path", "/open"),
            new("WsOrleans:Pools:open:Backends:0:Id", "a"),
            new("WsOrleans:Pools:open:Backends:0:Address", "ws://127.0.0.1:9"),
        ]);
        _admin = new AdminClient(_edge.ManagementBase, apiKey: null);
    }

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task Change_FromALoopbackClient_IsTakenWithoutCredentials()
    {
        var sameOrigin = $"http://{_edge.ManagementBase.Authority}";

        Assert.Equal(200, (await _admin.DrainAsync("open", "a", _timeout)).Code);
        Assert.Equal(201, (await _admin.PutBackendAsync("open", "b", """{ "address": "ws://127.0.0.1:8" }""", _timeout)).Code);
        Assert.Equal(200, (await _admin.SendAsync(HttpMethod.Post, "/pools/open/backends/a/undrain", configure: r => r.Headers.Add("Origin", sameOrigin), cancellationToken: _timeout)).Code);
        Assert.Equal(200, (await _admin.SendAsync(HttpMethod.Post, "/pools/open/backends/a/drain", configure: r => r.Headers.Host = $"localhost:{_edge.ManagementBase.Port}", cancellationToken: _timeout)).Code);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example", "the request comes from the web origin 'http://evil.example'")]
    [InlineData("Origin", "null", "the request comes from the web origin 'null'")]
    [InlineData("Host", "evil.example", "the Host 'evil.example' is not a loopback name or address")]
    public async Task Change_ThatABrowserCouldHaveBeenMadeToSend_Is403(string header, string value, string detail)
    {
        var response = await _admin.SendAsync(
            HttpMethod.Post,
            "/pools/open/backends/a/drain",
            configure: r =>
            {
                if (header == "Host")
                {
                    r.Headers.Host = value;
                }
                else
                {
                    r.Headers.Add(header, value);
                }
            },
            cancellationToken: _timeout);

        Assert.Equal(403, response.Code);
        Assert.Contains(detail, response.Detail);
        Assert.Equal("active", (await _edge.PoolAsync("open")).Backends.Single(b => b.Id == "a").AdminState);
    }
}
