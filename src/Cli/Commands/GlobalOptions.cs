using System.CommandLine;
using WsOrleans.Cli.Management;

namespace WsOrleans.Cli.Commands;

/// <summary>The options every command takes: <c>--edge</c>, <c>--api-key</c>, <c>--ca-file</c>, <c>--insecure</c>, <c>--timeout</c> and <c>--json</c>.</summary>
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

    public Option<string> CaFile { get; } = new("--ca-file")
    {
        Description = $"For an https:// listener: trust certificates signed by the CA certificates in this PEM file (WsOrleans:Management:CertificatePath's issuer). Default: ${EdgeTarget.CaFileVariable}, else the system's trusted roots.",
        HelpName = "pem",
        Recursive = true,
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "For an https:// listener: do not check its certificate at all (like curl -k). The API key is then sent to whoever answers.",
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
        root.Add(CaFile);
        root.Add(Insecure);
        root.Add(Timeout);
        root.Add(Json);
    }
}
