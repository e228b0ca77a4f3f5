using WsOrleans.EchoBackend;
using WsOrleans.SignalRChat;

namespace WsOrleans.Edge.Demo;

/// <summary>
/// <c>--demo</c>: backends on loopback in this process, so the embedded edge has something to balance with
/// nothing else installed: three echo servers as pool <c>default</c> on <c>/ws</c>, and three SignalR chat
/// servers (the SignalRChat sample) as pool <c>chat</c> on <c>/chat</c>, held to one backend per browser by
/// an affinity cookie.
/// </summary>
internal sealed class DemoBackends : IAsyncDisposable
{
    public const string Flag = "--demo";

    /// <summary>The affinity cookie of the demo's chat pool.</summary>
    public const string ChatCookie = "wsorleans-chat";

    private readonly EchoServer[] _servers;
    private readonly ChatServer[] _chats;

    private DemoBackends(EchoServer[] servers, ChatServer[] chats)
    {
        _servers = servers;
        _chats = chats;
    }

    public static async Task<DemoBackends> StartAsync(CancellationToken cancellationToken = default)
    {
        var servers = new EchoServer[3];
        var chats = new ChatServer[3];
        for (var i = 0; i < servers.Length; i++)
        {
            servers[i] = await EchoServer.StartAsync($"echo-{i + 1}", "http://127.0.0.1:0", cancellationToken);
            chats[i] = await ChatServer.StartAsync($"chat-{i + 1}", "http://127.0.0.1:0", cancellationToken);
        }

        return new DemoBackends(servers, chats);
    }

    /// <summary>Lowest-priority configuration: anything given on the command line wins.</summary>
    public void AddDefaults(WebApplicationBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["WsOrleans:Pools:default:Path"] = "/ws",
            ["WsOrleans:Pools:default:Strategy"] = "LeastConnections",
            ["WsOrleans:Pools:chat:Path"] = "/chat",
            ["WsOrleans:Pools:chat:Strategy"] = "LeastConnections",
            ["WsOrleans:Pools:chat:Affinity:Cookie"] = ChatCookie,
        };
        for (var i = 0; i < _servers.Length; i++)
        {
            values[$"WsOrleans:Pools:default:Backends:{i}:Id"] = _servers[i].Id;
            values[$"WsOrleans:Pools:default:Backends:{i}:Address"] = _servers[i].WebSocketAddress.ToString().TrimEnd('/');
            values[$"WsOrleans:Pools:chat:Backends:{i}:Id"] = _chats[i].Id;
            values[$"WsOrleans:Pools:chat:Backends:{i}:Address"] = _chats[i].WebSocketAddress.ToString().TrimEnd('/');
        }

        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }

    public void PrintWelcome(WebApplication edge)
    {
        var publicUrl = edge.Urls.FirstOrDefault() ?? EdgeApplication.DefaultUrls;
        var management = edge.Services.GetRequiredService<Management.ManagementServer>().Addresses.FirstOrDefault();
        var ws = publicUrl.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/ws";
        var chat = publicUrl.TrimEnd('/') + "/chat/";
        Console.WriteLine($$"""

            WsOrleans demo: one edge with an embedded silo, balancing three echo backends and three SignalR chat servers.

              WebSocket endpoint  {{ws}}   (pool 'default', LeastConnections)
              Backends            {{string.Join(", ", _servers.Select(s => $"{s.Id} {s.WebSocketAddress.ToString().TrimEnd('/')}"))}}
              SignalR chat        {{chat}}   (pool 'chat', LeastConnections, affinity cookie '{{ChatCookie}}')
              Chat backends       {{string.Join(", ", _chats.Select(s => $"{s.Id} {s.HttpAddress.ToString().TrimEnd('/')}"))}}
              Dashboard           {{management}}/   (open it in a browser)
              Cluster status      curl -s {{management}}/status
              Prometheus metrics  curl -s {{management}}/metrics

            Try it from a browser's developer console (each socket lands on the least loaded backend):
              let ws = new WebSocket("{{ws}}"); ws.onmessage = e => console.log(e.data); ws.onopen = () => ws.send("whoami");

            or from a shell, with Node.js 20:
              node --experimental-websocket -e 'const ws = new WebSocket("{{ws}}"); ws.onopen = () => ws.send("whoami"); ws.onmessage = e => { console.log(e.data); ws.close(); }'

            Open the chat in a browser: the page shows which backend and transport it is on, and keeps that
            backend for every request by the affinity cookie; another browser (or a private window) is
            balanced anew. Add ?transport=LongPolling or ?transport=ServerSentEvents to try the other transports:
              {{chat}}

            Ctrl+C stops everything.
            """);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        foreach (var chat in _chats)
        {
            await chat.DisposeAsync();
        }
    }
}
