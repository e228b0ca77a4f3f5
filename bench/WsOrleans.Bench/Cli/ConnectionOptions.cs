using System.CommandLine;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Cli;

/// <summary>The options every command has: <c>--url</c>, <c>--client</c>, <c>--connect-timeout</c>, <c>--tls-trust</c>.</summary>
internal sealed class ConnectionOptions
{
    private readonly Option<Uri[]> _url = new("--url")
    {
        Description = "The WebSocket URL, for example ws://127.0.0.1:8080/ws; several, separated by commas, take connections in turn.",
        Required = true,
        CustomParser = ValueParsers.WebSocketUrls,
    };

    private readonly Option<string> _client = new Option<string>("--client")
    {
        Description = "The client: raw (a minimal RFC 6455 client on a bare socket) or managed (ClientWebSocket).",
        DefaultValueFactory = _ => WebSocketClients.Raw,
    }.AcceptOnlyFromAmong([.. WebSocketClients.Names]);

    private readonly Option<TimeSpan> _connectTimeout = new("--connect-timeout")
    {
        Description = "How long a TCP connect plus upgrade, or a close, may take (10s, 500ms, ...).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = ValueParsers.PositiveDuration,
        HelpName = "duration",
    };

    private readonly Option<string> _tlsTrust = new("--tls-trust")
    {
        Description = "A PEM file of the only certificates trusted for wss:// (a self-signed one, say); by default the machine's roots.",
        HelpName = "path",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_url);
        command.Add(_client);
        command.Add(_connectTimeout);
        command.Add(_tlsTrust);
    }

    public ConnectionSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ConnectionSettings
        {
            Urls = result.GetRequiredValue(_url),
            Client = result.GetRequiredValue(_client),
            ConnectTimeout = result.GetValue(_connectTimeout),
            TrustedCertificates = result.GetValue(_tlsTrust),
        };
    }
}
