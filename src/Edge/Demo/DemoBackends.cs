using WsOrleans.EchoBackend;

namespace WsOrleans.Edge.Demo;

/// <summary>
/// <c>--demo</c>: three echo backends on loopback in this process, configured as pool <c>default</c> on
/// <c>/ws</c>, so the embedded edge has something to balance with nothing else installed.
/// </summary>
internal sealed class DemoBackends : IAsyncDisposable
{
    public const string Flag = "--demo";

    private readonly EchoServer[] _servers;

    private DemoBackends(EchoServer[] servers) => _servers = servers;

    public static async Task<DemoBackends> StartAsync(CancellationToken cancellationToken = default)
    {
        var servers = new EchoServer[3];
        for (var i = 0; i < servers.Length; i++)
        {
            servers[i] = await EchoServer.StartAsync($"echo-{i + 1}", "http://127.0.0.1:0", cancellationToken);
        }

        return new DemoBackends(servers);
    }

    /// <summary>Lowest-priority configuration: anything given on the command line wins.</summary>
    public void AddDefaults(WebApplicationBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["WsOrleans:Pools:default:Path"] = "/ws",
            ["WsOrleans:Pools:default:Strategy"] = "LeastConnections",
        };
        for (var i = 0; i < _servers.Length; i++)
        {
            values[$"WsOrleans:Pools:default:Backends:{i}:Id"] = _servers[i].Id;
            values[$"WsOrleans:Pools:default:Backends:{i}:Address"] = _servers[i].WebSocketAddress.ToString().TrimEnd('/');
        }

        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }

    public void PrintWelcome(WebApplication edge)
    {
        var publicUrl = edge.Urls.FirstOrDefault() ?? EdgeApplication.DefaultUrls;
        var management = edge.Services.GetRequiredService<Management.ManagementServer>().Addresses.FirstOrDefault();
        var ws = publicUrl.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/ws";
        Console.WriteLine($$"""

            WsOrleans demo: one edge with an embedded silo, balancing three echo backends.

              WebSocket endpoint  {{ws}}   (pool 'default', LeastConnections)
              Backends            {{string.Join(", ", _servers.Select(s => $"{s.Id} {s.WebSocketAddress.ToString().TrimEnd('/')}"))}}
              Dashboard           {{management}}/   (open it in a browser)
              Cluster status      curl -s {{management}}/status
              Prometheus metrics  curl -s {{management}}/metrics

            Try it from a browser's developer console (each socket lands on the least loaded backend):
              let ws = new WebSocket("{{ws}}"); ws.onmessage = e => console.log(e.data); ws.onopen = () => ws.send("whoami");

            or from a shell, with Node.js 20:
              node --experimental-websocket -e 'const ws = new WebSocket("{{ws}}"); ws.onopen = () => ws.send("whoami"); ws.onmessage = e => { console.log(e.data); ws.close(); }'

            Ctrl+C stops everything.
            """);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
