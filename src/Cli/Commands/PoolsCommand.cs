using System.CommandLine;
using WsOrleans.Cli.Management;
using WsOrleans.Cli.Output;

namespace WsOrleans.Cli.Commands;

/// <summary><c>pools rebalance</c>: <c>POST /pools/{pool}/rebalance</c>.</summary>
internal static class PoolsCommand
{
    public static Command Create(CliContext context, GlobalOptions global) =>
        new("pools", "Act on a whole pool.") { Rebalance(context, global) };

    private static Command Rebalance(CliContext context, GlobalOptions global)
    {
        var pool = new Argument<string>("pool") { Description = "The pool's name, as in WsOrleans:Pools:<pool>." };
        var command = new Command("rebalance", "Close connections of backends above their fair share (1012, at the pool's rate) so their clients reconnect to the others; prints the plan.") { pool };
        CommandAction.Set(command, context, global, async request =>
        {
            var poolName = request.Parse.GetRequiredValue(pool);
            var answer = await request.Client.SendAsync(HttpMethod.Post, $"pools/{ManagementClient.Segment(poolName)}/rebalance", null, request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            var plan = answer.RequireJson(request.Target, "outcome");
            if (request.Json)
            {
                await request.Output.WriteLineAsync(answer.Text.TrimEnd());
                return;
            }

            await request.Output.WriteLineAsync(JsonText.Field(plan, "outcome") == "balanced"
                ? $"Pool '{poolName}' is balanced: no backend holds more than its share."
                : $"Pool '{poolName}': closing {JsonText.Field(plan, "closes")} connections, at most {JsonText.Field(plan, "maxClosesPerSecond")} a second.");
            var table = new TextTable("BACKEND", "CONNECTIONS", "SHARE", "CLOSES");
            foreach (var backend in JsonText.Array(plan, "backends"))
            {
                table.Add(JsonText.Field(backend, "id"), JsonText.Field(backend, "connections"), JsonText.Field(backend, "share"), JsonText.Field(backend, "closes"));
            }

            table.Write(request.Output);
        });
        return command;
    }
}
