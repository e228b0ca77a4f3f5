using System.CommandLine;
using System.Text.Json.Nodes;
using WsOrleans.Cli.Management;
using WsOrleans.Cli.Output;

namespace WsOrleans.Cli.Commands;

/// <summary><c>strategy set</c>: <c>PUT /pools/{pool}/strategy</c>.</summary>
internal static class StrategyCommand
{
    private const string Hash = "Hash";
    private const string Sticky = "Sticky";

    public static Command Create(CliContext context, GlobalOptions global) =>
        new("strategy", "Change how a pool picks backends.") { Set(context, global) };

    private static Command Set(CliContext context, GlobalOptions global)
    {
        var pool = new Argument<string>("pool") { Description = "The pool's name, as in WsOrleans:Pools:<pool>." };
        var strategy = new Argument<string>("strategy") { Description = "RoundRobin, LeastConnections, IpHash, Hash or Sticky (any case)." };
        var hashKey = new Option<string>("--hash-key")
        {
            Description = "Hash: what to hash, query:NAME, header:NAME, cookie:NAME or path. Required by Hash.",
            HelpName = "key",
        };
        var affinityKey = new Option<string>("--affinity-key")
        {
            Description = "Sticky: what names a client, cookie:NAME, header:NAME or query:NAME. Required by Sticky.",
            HelpName = "key",
        };
        var affinityCookie = new Option<string>("--affinity-cookie")
        {
            Description = "Any strategy but Sticky: the name of the affinity cookie the edges issue, so a client's later requests through any edge reach the same backend.",
            HelpName = "name",
        };
        var affinityTtl = new Option<string>("--affinity-ttl")
        {
            Description = "Sticky or --affinity-cookie: how long an unused binding or cookie lasts, hh:mm:ss or d.hh:mm:ss. Default 01:00:00.",
            HelpName = "ttl",
        };

        var command = new Command("set", "Replace a pool's strategy and its key; an omitted key is none.") { pool, strategy, hashKey, affinityKey, affinityCookie, affinityTtl };
        CommandAction.Set(command, context, global, async request =>
        {
            var (poolName, strategyName) = (request.Parse.GetRequiredValue(pool), request.Parse.GetRequiredValue(strategy));
            var (hash, key, ttl) = (request.Parse.GetValue(hashKey), request.Parse.GetValue(affinityKey), request.Parse.GetValue(affinityTtl));
            var cookie = request.Parse.GetValue(affinityCookie);

            // The edge ignores keys the strategy does not use; an operator who typed one meant something else.
            RefuseUnused(hash, "--hash-key", strategyName, Hash);
            RefuseUnused(key, "--affinity-key", strategyName, Sticky);
            if (cookie is null)
            {
                RefuseUnused(ttl, "--affinity-ttl", strategyName, Sticky);
            }

            var body = new JsonObject { ["strategy"] = strategyName };
            if (hash is not null)
            {
                body["hashKey"] = hash;
            }

            if (key is not null || cookie is not null || ttl is not null)
            {
                body["affinity"] = new JsonObject { ["key"] = key, ["cookie"] = cookie, ["ttl"] = ttl };
            }

            var answer = await request.Client.SendAsync(HttpMethod.Put, $"pools/{ManagementClient.Segment(poolName)}/strategy", body, request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            var updated = answer.RequireJson(request.Target, "strategy");
            await request.Output.WriteLineAsync(request.Json
                ? answer.Text.TrimEnd()
                : $"Pool '{poolName}' now uses {PoolText.Strategy(updated)} (version {JsonText.Field(updated, "version")}).");
        });
        return command;
    }

    private static void RefuseUnused(string? value, string option, string strategy, string user)
    {
        if (value is not null && !string.Equals(strategy, user, StringComparison.OrdinalIgnoreCase))
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{option} is used only by the {user} strategy; {strategy} would ignore it.");
        }
    }
}
