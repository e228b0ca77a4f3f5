using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Real Socket.IO 4 servers behind two edges that share one Localhost-mode silo. Pool <c>sio</c> (servers
/// a, b, c on <c>/sio/</c>) balances by least connections and issues an affinity cookie; pool <c>siohash</c>
/// (three more on <c>/siohash/</c>) hashes the client address, for clients that keep no cookies. Both edges
/// trust loopback's <c>X-Forwarded-For</c>, so one machine can play many client addresses.
/// </summary>
public sealed class SocketIoFixture : IAsyncLifetime
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    internal SocketIoServers Cookie { get; private set; } = null!;

    internal SocketIoServers Hashed { get; private set; } = null!;

    internal TestSilo Silo { get; private set; } = null!;

    internal TestEdge First { get; private set; } = null!;

    internal TestEdge Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cookie = await SocketIoServers.StartAsync(3, _timeout, "/sio/");
        Hashed = await SocketIoServers.StartAsync(3, _timeout, "/siohash/");
        Silo = await TestSilo.StartAsync(
        [
            new("WsOrleans:Pools:sio:Path", "/sio"),
            new("WsOrleans:Pools:sio:Strategy", "LeastConnections"),
            new("WsOrleans:Pools:sio:Affinity:Cookie", "io"),
            .. BackendsOf("sio", Cookie),
            new("WsOrleans:Pools:siohash:Path", "/siohash"),
            new("WsOrleans:Pools:siohash:Strategy", "IpHash"),
            .. BackendsOf("siohash", Hashed),
        ]);
        IEnumerable<KeyValuePair<string, string?>> edge = [.. Silo.ClientConfiguration, new("WsOrleans:Edge:TrustedProxies", "127.0.0.1")];
        First = await TestEdge.StartAsync(edge);
        Second = await TestEdge.StartAsync(edge);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Cookie.DisposeAsync();
        await Hashed.DisposeAsync();
    }

    private static IEnumerable<KeyValuePair<string, string?>> BackendsOf(string pool, SocketIoServers servers) =>
        PoolBackends.Of(pool, servers.Servers.Select(s => (s.Id, new Uri($"ws://127.0.0.1:{s.Port}"))));
}
