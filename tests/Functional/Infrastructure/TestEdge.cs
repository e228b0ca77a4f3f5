using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge;
using WsOrleans.Edge.Management;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>A real edge (the same code as the Edge program) listening on loopback ports chosen by Kestrel.</summary>
internal sealed class TestEdge : IAsyncDisposable
{
    private static readonly HttpClient Http = new();
    private readonly WebApplication _app;

    private TestEdge(WebApplication app)
    {
        _app = app;
        var address = new Uri(app.Urls.First());
        HttpBase = address;
        WebSocketBase = new UriBuilder(address) { Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        ManagementBase = new Uri(app.Services.GetRequiredService<ManagementServer>().Addresses.First());
    }

    public Uri HttpBase { get; }

    public Uri WebSocketBase { get; }

    public Uri ManagementBase { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts an edge with <paramref name="configuration"/> on top of loopback listeners on free ports.
    /// In Embedded mode it also gets free silo and gateway ports.
    /// </summary>
    public static async Task<TestEdge> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> configuration,
        Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["WsOrleans:Management:Urls"] = "http://127.0.0.1:0",
            ["WsOrleans:Cluster:SiloPort"] = FreePort.Next().ToString(),
            ["WsOrleans:Cluster:GatewayPort"] = FreePort.Next().ToString(),
            ["WsOrleans:Edge:RouteRefreshInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in configuration)
        {
            values[key] = value;
        }

        var app = EdgeApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestEdge(app);
    }

    public Uri WebSocketUri(string pathAndQuery) => new(WebSocketBase, pathAndQuery);

    public Task<StatusView> StatusAsync() => Http.GetFromJsonAsync<StatusView>(new Uri(ManagementBase, "/status"))!;

    public async Task<PoolStatusView> PoolAsync(string name) => (await StatusAsync()).Pools.Single(p => p.Name == name);

    /// <summary>
    /// Pool <paramref name="name"/> once its status counts <paramref name="connections"/> open, none below zero: backend
    /// grains push their counts to the pool grain at most every 5 ms, so the status follows the edges a little late.
    /// </summary>
    public Task<PoolStatusView> PoolCountingAsync(string name, long connections) => Eventually.Until(
        () => PoolAsync(name),
        pool => pool.Backends.Sum(b => b.Connections) == connections && pool.Backends.All(b => b.Connections >= 0),
        $"the status to count {connections} connections open in pool {name}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
