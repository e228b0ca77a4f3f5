using System.CommandLine;

namespace WsOrleans.Bench.Cli;

/// <summary>The command line: <c>echo</c>, <c>handshakes</c> and <c>hold</c>.</summary>
internal static class BenchCommands
{
    public static RootCommand CreateRoot() => new("WebSocket load generator for comparing proxies with one client. "
        + "Each command prints one JSON object on stdout when it ends and progress on stderr.")
    {
        EchoCommand.Create(),
        HandshakesCommand.Create(),
        HoldCommand.Create(),
    };
}
