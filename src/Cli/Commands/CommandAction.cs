using System.CommandLine;
using WsOrleans.Cli.Management;

namespace WsOrleans.Cli.Commands;

/// <summary>
/// Gives a command an action that resolves the edge, runs <c>run</c> and turns a
/// <see cref="CommandFailedException"/> into one <c>error:</c> line and its exit code.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, CliContext context, GlobalOptions global, Func<CommandRequest, Task> run)
    {
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var target = EdgeTarget.Resolve(result.GetValue(global.Edge), result.GetValue(global.ApiKey), context.Environment)
                    .WithTls(result.GetValue(global.CaFile), result.GetValue(global.Insecure), context.Environment);
                using var client = new ManagementClient(target, TimeSpan.FromSeconds(result.GetValue(global.Timeout)));
                await run(new CommandRequest(result, client, context.Output, result.GetValue(global.Json), cancellationToken));
                return ExitCodes.Success;
            }
            catch (CommandFailedException failure)
            {
                await context.Error.WriteLineAsync($"error: {failure.Message}");
                return failure.ExitCode;
            }
        });
    }
}
