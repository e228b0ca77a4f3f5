using System.CommandLine;
using WsOrleans.Cli.Management;

namespace WsOrleans.Cli.Commands;

/// <summary>What a command's action works with: its parsed arguments, a client for the edge, where to print, and <c>--json</c>.</summary>
internal sealed record class CommandRequest(
    ParseResult Parse,
    ManagementClient Client,
    TextWriter Output,
    bool Json,
    CancellationToken CancellationToken)
{
    public EdgeTarget Target => Client.Target;
}
