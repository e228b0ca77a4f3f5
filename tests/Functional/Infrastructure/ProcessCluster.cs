using System.Net.Http.Json;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A Redis-mode cluster of the built programs as real processes: a Redis server, silo processes
/// that seed the pools they are given, and edge processes with no pools of their own.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<ProcessSilo> _silos = [];
    private readonly List<ProcessEdge> _edges = [];
    private readonly string[] _pools;

    private ProcessCluster(RedisServer redis, string[] pools)
    {
        Redis = redis;
        _pools = pools;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<ProcessSilo> Silos => _silos;

    public static async Task<ProcessCluster> StartAsync(IEnumerable<KeyValuePair<string, string?>> pools) =>
        new(await RedisServer.StartAsync(), [.. pools.Select(kv => $"--{kv.Key}={kv.Value}")]);

    /// <summary>Starts a silo process; it has joined once <see cref="WaitForSilosAsync"/> counts it.</summary>
    public ProcessSilo StartSilo()
    {
        var port = FreePort.Next();
        var silo = new ProcessSilo(
            ChildProcess.Start("WsOrleans.Silo",
            [
                .. Cluster(),
                "--WsOrleans:Cluster:AdvertisedAddress=127.0.0.1",
                $"--WsOrleans:Cluster:SiloPort={port}",
                $"--WsOrleans:Cluster:GatewayPort={FreePort.Next()}",
                .. _pools,
            ]),
            port);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Starts an edge process and waits until it serves the pool named <paramref name="pool"/>.</summary>
    public async Task<ProcessEdge> StartEdgeAsync(string id, TimeSpan leaseTime, string pool = "default")
    {
        var (publicPort, managementPort) = (FreePort.Next(), FreePort.Next());
        var edge = new ProcessEdge(
            id,
            ChildProcess.Start("WsOrleans.Edge",
            [
                .. Cluster(),
                $"--Urls=http://127.0.0.1:{publicPort}",
                $"--WsOrleans:Management:Urls=http://127.0.0.1:{managementPort}",
                $"--WsOrleans:Edge:Id={id}",
                $"--WsOrleans:Edge:LeaseTime={leaseTime:c}",
                "--WsOrleans:Edge:DrainWindow=00:00:01",
                "--WsOrleans:Edge:RouteRefreshInterval=00:00:00.500",
            ]),
            new Uri($"ws://127.0.0.1:{publicPort}"),
            new Uri($"http://127.0.0.1:{managementPort}"));
        _edges.Add(edge);
        await Eventually.Until(
            edge.TryStatusAsync,
            status => status?.Pools.Any(p => p.Name == pool) == true && status.Edges.Any(e => e.Id == id),
            () => $"edge {id} to serve pool '{pool}' and hold a lease (its output: {edge.Process.Output})",
            TimeSpan.FromSeconds(90));
        return edge;
    }

    /// <summary>Waits until the cluster's membership lists <paramref name="count"/> active silos.</summary>
    public Task<StatusView?> WaitForSilosAsync(ProcessEdge edge, int count) =>
        Eventually.Until(
            edge.TryStatusAsync,
            status => status?.Silos.Count(s => s.Status == "active") == count,
            () => $"{count} active silos (silo output: {string.Join("\n---\n", _silos.Select(s => s.Process.Output))})",
            TimeSpan.FromSeconds(90));

    public async ValueTask DisposeAsync()
    {
        foreach (var edge in _edges)
        {
            await edge.Process.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.Process.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    private string[] Cluster() =>
    [
        "--WsOrleans:Cluster:Mode=Redis",
        $"--WsOrleans:Cluster:ConnectionString={Redis.ConnectionString}",
    ];
}

/// <summary>A silo process.</summary>
internal sealed record class ProcessSilo(ChildProcess Process, int SiloPort);

/// <summary>An edge process, its public listener and its management listener.</summary>
internal sealed record class ProcessEdge(string Id, ChildProcess Process, Uri Public, Uri Management)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Uri WebSocketUri(string pathAndQuery) => new(Public, pathAndQuery);

    public Task<StatusView> StatusAsync() => Http.GetFromJsonAsync<StatusView>(new Uri(Management, "/status"))!;

    /// <summary>How many handshakes this edge retried on another backend (its <c>/metrics</c>, all pools).</summary>
    public async Task<long> RetriedHandshakesAsync()
    {
        return (long)PrometheusText.Value(await PrometheusText.ScrapeAsync(Management), "wsorleans_edge_handshakes_total", "result=\"retried\"");
    }

    /// <summary>The status, or null while the edge cannot answer (starting, or between gateways).</summary>
    public async Task<StatusView?> TryStatusAsync()
    {
        try
        {
            return await StatusAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
