using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Reporting;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Cli;

/// <summary>
/// Runs a scenario; a failure to even start it (a host that does not resolve, an unreadable <c>--tls-trust</c> file) still
/// ends in one JSON object, <c>{"command", "error"}</c>, and <see cref="ExitCodes.SetupFailed"/>.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(string command, Func<Task<int>> scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        try
        {
            return await scenario();
        }
        catch (SetupException exception)
        {
            Progress.Write($"{command}: {exception.Message}");
            JsonReport.Write(json =>
            {
                json.WriteString("command", command);
                json.WriteString("error", exception.Message);
            });
            return ExitCodes.SetupFailed;
        }
    }
}
