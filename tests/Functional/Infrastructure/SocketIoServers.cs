namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Real Socket.IO servers (the node harness's socketio-server.js) on loopback, named a, b, c, ….</summary>
internal sealed class SocketIoServers : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<SocketIoServer> _servers;

    private SocketIoServers(List<SocketIoServer> servers) => _servers = servers;

    public IReadOnlyList<SocketIoServer> Servers => _servers;

    public SocketIoServer this[string id] => _servers.Single(s => s.Id == id);

    /// <summary>Starts the servers side by side on ports the kernel picks, and waits until each listens.</summary>
    public static async Task<SocketIoServers> StartAsync(int count, CancellationToken cancellationToken, string path = "/socket.io/")
    {
        var servers = new SocketIoServers([]);
        try
        {
            var starting = Enumerable.Range(0, count)
                .Select(i => SocketIoServer.StartAsync(((char)('a' + i)).ToString(), path, StartTimeout, cancellationToken))
                .ToList();
            foreach (var server in starting)
            {
                servers._servers.Add(await server);
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
