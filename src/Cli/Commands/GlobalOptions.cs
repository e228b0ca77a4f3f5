using System.CommandLine;
using WsOrleans.Cli.Management;

namespace WsOrleans.Cli.Commands;

/// <summary>The options every command takes: <c>--edge</c>, <c>--api-key</c>, <c>--timeout</c> and <c>--json</c>.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Edge { get; } = new("--edge")
    {
        Description = $"The edge's management listener (WsOrleans:Management:Urls). Default: ${EdgeTarget.EdgeVariable}, else {EdgeTarget.DefaultUrl}.",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string> ApiKey { get; } = new("--api-key")
    {
        Description = $"The edge's WsOrleans:Management:ApiKey, sent as a bearer token. Default: ${EdgeTarget.ApiKeyVariable} (which keeps it out of the process list).",
        HelpName = "key",
        Recursive = true,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "How long to wait for the edge's answer, in seconds.",
        HelpName = "seconds",
        DefaultValueFactory = _ => 15,
        CustomParser = ValueParsers.Seconds,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the edge's JSON answer as it is instead of text.",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(Edge);
        root.Add(ApiKey);
        root.Add(Timeout);
        root.Add(Json);
    }
}
