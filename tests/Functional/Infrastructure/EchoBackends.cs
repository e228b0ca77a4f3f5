using WsOrleans.EchoBackend;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>A set of real echo servers on loopback, named a, b, c, ….</summary>
internal sealed class EchoBackends : IAsyncDisposable
{
    private EchoBackends(IReadOnlyList<EchoServer> servers) => Servers = servers;

    public IReadOnlyList<EchoServer> Servers { get; }

    public EchoServer this[string id] => Servers.Single(s => s.Id == id);

    public static async Task<EchoBackends> StartAsync(int count)
    {
        var servers = new List<EchoServer>();
        for (var i = 0; i < count; i++)
        {
            servers.Add(await EchoServer.StartAsync(((char)('a' + i)).ToString()));
        }

        return new EchoBackends(servers);
    }

    /// <summary>Configuration that lists these servers (or the ones named) as the backends of <paramref name="pool"/>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsBackendsOf(string pool, params string[] ids)
    {
        var chosen = ids.Length == 0 ? Servers : [.. ids.Select(id => this[id])];
        return PoolBackends.Of(pool, chosen.Select(s => (s.Id, s.WebSocketAddress)));
    }

    public IReadOnlyDictionary<string, int> OpenConnections => Servers.ToDictionary(s => s.Id, s => s.OpenConnections);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
