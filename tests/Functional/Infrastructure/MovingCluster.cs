using System.Net;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A cluster of its own for a test that moves live connections (scale-out, drain, slow start): echo backends
/// a, b, c, … (pool <c>live</c> on <c>/live</c> starts with the first <c>members</c> of them), one Localhost
/// silo and two edges, each with no ApiKey on its loopback management listener.
/// </summary>
internal sealed class MovingCluster : IAsyncDisposable
{
    public const string Pool = "live";

    private MovingCluster(EchoBackends backends, TestSilo silo, TestEdge first, TestEdge second)
    {
        Backends = backends;
        Silo = silo;
        First = first;
        Second = second;
    }

    public EchoBackends Backends { get; }

    public TestSilo Silo { get; }

    public TestEdge First { get; }

    public TestEdge Second { get; }

    /// <summary>The pool's path on both edges, for clients that alternate between them.</summary>
    public IReadOnlyList<Uri> Targets => [First.WebSocketUri("/live"), Second.WebSocketUri("/live")];

    public AdminClient Admin => new(First.ManagementBase, apiKey: null);

    /// <summary>Starts <paramref name="servers"/> echo backends and the cluster; pool <c>live</c> gets the first <paramref name="members"/> and <paramref name="pool"/> settings.</summary>
    public static async Task<MovingCluster> StartAsync(int servers, int members, params (string Key, string Value)[] pool)
    {
        var backends = await EchoBackends.StartAsync(servers);
        var silo = await TestSilo.StartAsync(
        [
            new($"WsOrleans:Pools:{Pool}:Path", "/live"),
            new($"WsOrleans:Pools:{Pool}:HealthCheck:Mode", "None"),
            .. pool.Select(p => new KeyValuePair<string, string?>($"WsOrleans:Pools:{Pool}:{p.Key}", p.Value)),
            .. backends.AsBackendsOf(Pool, [.. backends.Servers.Take(members).Select(s => s.Id)]),
        ]);
        var first = await TestEdge.StartAsync(silo.ClientConfiguration);
        var second = await TestEdge.StartAsync(silo.ClientConfiguration);
        return new MovingCluster(backends, silo, first, second);
    }

    /// <summary>Adds backend <paramref name="id"/> (already started) to the pool through the admin API.</summary>
    public async Task AddAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await Admin.SendAsync(HttpMethod.Put, $"/pools/{Pool}/backends/{id}", $$"""{ "address": "{{Backends[id].WebSocketAddress}}" }""", cancellationToken: cancellationToken);
        Assert.True(answer.Status == HttpStatusCode.Created, $"adding {id}: {answer.Status} {answer.Body}");
    }

    /// <summary>Each backend's open WebSocket sessions, as the backends themselves count them.</summary>
    public IReadOnlyDictionary<string, int> Open => Backends.OpenConnections;

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Backends.DisposeAsync();
    }
}
