using System.Net.Http.Json;
using System.Net.Sockets;
using WsOrleans.EchoBackend;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A Redis-mode cluster spread over the hosts of a <see cref="NetworkBed"/>, as an operator deploys it: Redis
/// alone on the cluster network (.10), two silos (.11, .12) and two edges (.21, .22) on both networks, the silos
/// under a supervisor. The backends are echo servers of the test process on the public network (.254), so their
/// open connections (and the peak of a capped one) are read directly; clients reach the edges there too.
/// Every setting not needed to place the processes is left at its default.
/// </summary>
internal sealed class PartitionBed : IAsyncDisposable
{
    /// <summary>The cap of the one backend of pool <c>capped</c>.</summary>
    public const int Cap = 40;

    private const int RedisPort = 6379;
    private const int SiloPort = 11111;
    private const int GatewayPort = 30000;
    private const int PublicPort = 8080;
    private const int ManagementPort = 8081;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly NetworkBed _network;
    private readonly List<EchoServer> _servers = [];
    private readonly List<BedSilo> _silos = [];
    private readonly List<BedEdge> _edges = [];

    private PartitionBed(NetworkBed network) => _network = network;

    public NetworkBed Network => _network;

    public NetworkHost Redis { get; private set; } = null!;

    public IReadOnlyList<BedSilo> Silos => _silos;

    public IReadOnlyList<BedEdge> Edges => _edges;

    /// <summary>The backends of pools <c>live</c> (long-lived clients) and <c>brief</c> (handshake load): a, b, c.</summary>
    public IReadOnlyList<EchoServer> Backends => [.. _servers.Take(3)];

    /// <summary>Backend d, the only one of pool <c>capped</c>, with <see cref="Cap"/>.</summary>
    public EchoServer Capped => _servers[3];

    public static async Task<PartitionBed> StartAsync()
    {
        var bed = new PartitionBed(await NetworkBed.CreateAsync());
        try
        {
            await bed.StartProcessesAsync();
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>What <paramref name="edge"/>'s <c>/status</c> says, or null while it does not answer.</summary>
    public static async Task<StatusView?> TryStatusAsync(BedEdge edge)
    {
        try
        {
            return await Http.GetFromJsonAsync<StatusView>(new Uri(edge.Management, "/status"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until every edge answers and sees both silos active, both edges and every pool.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        foreach (var edge in _edges)
        {
            await Eventually.Until(
                () => TryStatusAsync(edge),
                status => status?.Silos?.Count(s => s.Status == "active") == _silos.Count
                    && status.Edges.Count == _edges.Count
                    && status.Pools.Count == 3
                    && status.Pools.All(p => p.Backends.All(b => b.Health == "healthy")),
                () => $"edge {edge.Id} to see {_silos.Count} active silos, {_edges.Count} edges and 3 healthy pools (exits: {string.Join("; ", Exits())}; edge output: {Tail(edge.Process.Current.Output)})",
                timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _edges.Select(e => e.Process).Concat(_silos.Select(s => s.Process)))
        {
            await process.DisposeAsync();
        }

        await _network.DisposeAsync();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Every exit of a silo or edge so far, oldest first.</summary>
    public IEnumerable<string> Exits() =>
        _silos.Select(s => (s.Name, s.Process)).Concat(_edges.Select(e => (Name: e.Id, e.Process)))
            .SelectMany(p => p.Process.Exits.Select(e => (p.Name, Exit: e)))
            .OrderBy(e => e.Exit.At)
            .Select(e => $"{e.Name} exited {e.Exit.Code} at {e.Exit.At:HH:mm:ss.f}: {e.Exit.LastLine[..Math.Min(e.Exit.LastLine.Length, 120)]}");

    private static string Tail(string output) => output.Length > 3000 ? output[^3000..] : output;

    private async Task StartProcessesAsync()
    {
        var publicSide = NetworkBed.PublicPrefix + "254";
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            _servers.Add(await EchoServer.StartAsync(new EchoServerOptions { Id = id, Url = $"http://{publicSide}:0" }));
        }

        Redis = await _network.AddHostAsync("redis", cluster: 10, @public: null);
        _network.Start(Redis, "redis-server", "--bind", Redis.ClusterAddress!, "--port", RedisPort.ToString(), "--save", "", "--appendonly", "no", "--protected-mode", "no");
        await Eventually.Until(() => Task.FromResult(Accepts(Redis.ClusterAddress!, RedisPort)), accepts => accepts, "redis-server to listen on its host");

        var pools = Pools();
        foreach (var n in new[] { 1, 2 })
        {
            var host = await _network.AddHostAsync($"silo{n}", cluster: 10 + n, @public: 10 + n);
            string[] args =
            [
                .. ClusterArgs(),
                $"--WsOrleans:Cluster:AdvertisedAddress={host.ClusterAddress}",
                $"--WsOrleans:Cluster:SiloPort={SiloPort}",
                $"--WsOrleans:Cluster:GatewayPort={GatewayPort}",
                .. pools,
            ];
            _silos.Add(new BedSilo($"silo{n}", host, new SupervisedProcess(() => _network.Start(host, "WsOrleans.Silo", args))));
        }

        foreach (var n in new[] { 1, 2 })
        {
            var host = await _network.AddHostAsync($"edge{n}", cluster: 20 + n, @public: 20 + n);
            string[] args =
            [
                .. ClusterArgs(),
                $"--Urls=http://{host.PublicAddress}:{PublicPort}",
                $"--WsOrleans:Management:Urls=http://{host.PublicAddress}:{ManagementPort}",
                "--WsOrleans:Management:ApiKey=partition-bed", // required off loopback
                $"--WsOrleans:Edge:Id=edge-{n}",
            ];
            _edges.Add(new BedEdge(
                $"edge-{n}",
                host,
                new SupervisedProcess(() => _network.Start(host, "WsOrleans.Edge", args)),
                new Uri($"ws://{host.PublicAddress}:{PublicPort}"),
                new Uri($"http://{host.PublicAddress}:{ManagementPort}")));
        }

        await WaitHealthyAsync(TimeSpan.FromSeconds(120));
    }

    private string[] ClusterArgs() =>
    [
        "--WsOrleans:Cluster:Mode=Redis",
        $"--WsOrleans:Cluster:ConnectionString={Redis.ClusterAddress}:{RedisPort}",
    ];

    private string[] Pools()
    {
        IEnumerable<KeyValuePair<string, string?>> pools =
        [
            new("WsOrleans:Pools:live:Path", "/live"),
            .. PoolBackends.Of("live", Backends.Select(s => (s.Id, s.WebSocketAddress))),
            new("WsOrleans:Pools:brief:Path", "/brief"),
            .. PoolBackends.Of("brief", Backends.Select(s => (s.Id, s.WebSocketAddress))),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            .. PoolBackends.Of("capped", [(Capped.Id, Capped.WebSocketAddress)]),
            new("WsOrleans:Pools:capped:Backends:0:MaxConnections", Cap.ToString()),
        ];
        return [.. pools.Select(kv => $"--{kv.Key}={kv.Value}")];
    }

    private static bool Accepts(string address, int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A silo of a <see cref="PartitionBed"/>.</summary>
internal sealed record class BedSilo(string Name, NetworkHost Host, SupervisedProcess Process);

/// <summary>An edge of a <see cref="PartitionBed"/>: its public listener and its management listener.</summary>
internal sealed record class BedEdge(string Id, NetworkHost Host, SupervisedProcess Process, Uri Public, Uri Management)
{
    public Uri WebSocketUri(string path) => new(Public, path);
}
