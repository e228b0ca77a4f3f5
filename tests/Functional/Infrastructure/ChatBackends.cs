using WsOrleans.SignalRChat;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>A set of real SignalR chat servers on loopback, named a, b, c, ….</summary>
internal sealed class ChatBackends : IAsyncDisposable
{
    private ChatBackends(IReadOnlyList<ChatServer> servers) => Servers = servers;

    public IReadOnlyList<ChatServer> Servers { get; }

    public ChatServer this[string id] => Servers.Single(s => s.Id == id);

    public IReadOnlyDictionary<string, int> OpenConnections => Servers.ToDictionary(s => s.Id, s => s.OpenConnections);

    public static async Task<ChatBackends> StartAsync(int count, CancellationToken cancellationToken = default)
    {
        var servers = new List<ChatServer>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                servers.Add(await ChatServer.StartAsync(((char)('a' + i)).ToString(), cancellationToken: cancellationToken));
            }
        }
        catch
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
            throw;
        }

        return new ChatBackends(servers);
    }

    /// <summary>
    /// Configuration that lists these servers (or the ones named) as the backends of <paramref name="pool"/>:
    /// each server's root <c>ws://</c> address, so a pool path of <c>/chat</c> reaches its hub and page.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> AsBackendsOf(string pool, params string[] ids)
    {
        var chosen = ids.Length == 0 ? Servers : [.. ids.Select(id => this[id])];
        return PoolBackends.Of(pool, chosen.Select(s => (s.Id, s.WebSocketAddress)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
