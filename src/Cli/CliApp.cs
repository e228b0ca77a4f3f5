using System.CommandLine;
using System.CommandLine.Parsing;
using WsOrleans.Cli.Commands;

namespace WsOrleans.Cli;

/// <summary>
/// The <c>wsorleans</c> command line: parses <c>args</c>, talks to an edge's management listener and
/// returns the process exit code (<see cref="ExitCodes"/>). Everything it prints goes to the writers it is given.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Where results go (the table, the JSON).</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="environment">Reads an environment variable (<c>WSORLEANS_EDGE</c>, <c>WSORLEANS_API_KEY</c>); null when unset.</param>
    /// <param name="cancellationToken">Ends the request in flight.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);

        var context = new CliContext(output, error, environment);
        var result = CliCommands.CreateRoot(context).Parse(args);

        if (result.Errors.Count > 0)
        {
            foreach (var parseError in result.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync($"Run '{CommandPath(result.CommandResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        // One request, nothing to clean up: Ctrl+C may end the process at once, so no signal handler.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>"wsorleans backends add": the root is named after the program, whatever process runs it.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var current = command; current.Parent is CommandResult parent; current = parent)
        {
            names.Add(current.Command.Name);
        }

        names.Add(CliCommands.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
