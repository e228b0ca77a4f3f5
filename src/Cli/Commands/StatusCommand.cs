using System.CommandLine;
using WsOrleans.Cli.Output;

namespace WsOrleans.Cli.Commands;

/// <summary><c>status</c>: <c>GET /status</c> as a table, or as the edge wrote it with <c>--json</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var command = new Command("status", "Show the cluster's pools and backends: health, admin state, live connections.");
        CommandAction.Set(command, context, global, async request =>
        {
            var answer = await request.Client.GetAsync("status", request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            var status = answer.RequireJson(request.Target, "pools");
            if (request.Json)
            {
                await request.Output.WriteLineAsync(answer.Text.TrimEnd());
                return;
            }

            StatusTable.Write(status, request.Output);
        });
        return command;
    }
}
