using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsOrleans.Cli.Management;
using WsOrleans.Cli.Output;

namespace WsOrleans.Cli.Commands;

/// <summary><c>backends add|set|remove|drain|undrain</c>: the admin API's backend routes (docs/admin-api.md).</summary>
internal static class BackendsCommand
{
    // Closes take up to 2 s each and their reports a moment: a drained backend's count reaches 0 a little after its window.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliContext context, GlobalOptions global) =>
        new("backends", "Add, change, drain, undrain or remove a backend of a pool.")
        {
            Put(context, global, "add", "Add a backend to a pool; refused when the pool already has one with this id (see 'set').", replace: false),
            Put(context, global, "set", "Add a backend, or replace every setting of the one with this id (omitted options take their defaults).", replace: true),
            Remove(context, global),
            Drain(context, global),
            AdminState(context, global, "undrain", "Let a drained backend take new connections again."),
        };

    private static Command Put(CliContext context, GlobalOptions global, string name, string description, bool replace)
    {
        var (pool, id) = (PoolArgument(), IdArgument());
        var address = new Option<string>("--address")
        {
            Description = "The backend's ws:// or wss:// address, e.g. ws://10.0.1.5:5001 (optionally with a path prefix).",
            HelpName = "url",
            Required = true,
        };
        var weight = new Option<int?>("--weight")
        {
            Description = "Its share of new connections, 1 to 10000. Default 1.",
            HelpName = "n",
            CustomParser = ValueParsers.WholeNumber,
        };
        var maxConnections = new Option<int?>("--max-connections")
        {
            Description = "The most live connections it takes across all edges; 0 for no cap. Default 0.",
            HelpName = "n",
            CustomParser = ValueParsers.WholeNumber,
        };

        var command = new Command(name, description) { pool, id, address, weight, maxConnections };
        CommandAction.Set(command, context, global, async request =>
        {
            var (poolName, backendId) = (request.Parse.GetRequiredValue(pool), request.Parse.GetRequiredValue(id));
            if (!replace)
            {
                await RefuseExistingAsync(request, poolName, backendId);
            }

            var body = new JsonObject { ["address"] = request.Parse.GetRequiredValue(address) };
            if (request.Parse.GetValue(weight) is { } weightValue)
            {
                body["weight"] = weightValue;
            }

            if (request.Parse.GetValue(maxConnections) is { } maxValue)
            {
                body["maxConnections"] = maxValue;
            }

            var answer = await request.Client.SendAsync(HttpMethod.Put, BackendPath(poolName, backendId), body, request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            var verb = answer.Status == HttpStatusCode.Created ? "Added" : "Set";
            await WriteBackendAsync(request, answer, $"{verb} backend '{backendId}' of pool '{poolName}'");
        });
        return command;
    }

    private static Command Remove(CliContext context, GlobalOptions global)
    {
        var (pool, id) = (PoolArgument(), IdArgument());
        var force = new Option<bool>("--force")
        {
            Description = "Remove it even while it has live connections; they stay open until either side closes them.",
        };

        var command = new Command("remove", "Remove a backend from a pool; refused while it has live connections unless --force.") { pool, id, force };
        CommandAction.Set(command, context, global, async request =>
        {
            var (poolName, backendId) = (request.Parse.GetRequiredValue(pool), request.Parse.GetRequiredValue(id));
            var path = BackendPath(poolName, backendId) + (request.Parse.GetValue(force) ? "?force=true" : "");
            var answer = await request.Client.SendAsync(HttpMethod.Delete, path, null, request.CancellationToken);
            answer.ThrowIfFailed(
                request.Target,
                answer.Status == HttpStatusCode.Conflict
                    ? $"With this CLI: 'wsorleans backends drain {poolName} {backendId}', wait until 'wsorleans status' shows it with 0 connections, "
                      + $"then remove it; or 'wsorleans backends remove {poolName} {backendId} --force'."
                    : null);
            if (request.Json)
            {
                return;
            }

            await request.Output.WriteLineAsync($"Removed backend '{backendId}' from pool '{poolName}'.");
        });
        return command;
    }

    private static Command Drain(CliContext context, GlobalOptions global)
    {
        var (pool, id) = (PoolArgument(), IdArgument());
        var closeWithin = new Option<TimeSpan?>("--close-within")
        {
            Description = "Also close its open connections (1012, clients reconnect elsewhere), spread evenly over this window, e.g. 30s or 5m.",
            HelpName = "duration",
            CustomParser = ValueParsers.Duration,
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "With --close-within: return once the backend has no connections (exit 0), or exit 5 if the window passes with some left.",
        };

        var command = new Command("drain", "Send no new connections to a backend; its open connections stay until they close, or are closed within --close-within.") { pool, id, closeWithin, wait };
        CommandAction.Set(command, context, global, async request =>
        {
            var (poolName, backendId) = (request.Parse.GetRequiredValue(pool), request.Parse.GetRequiredValue(id));
            var window = request.Parse.GetValue(closeWithin);
            if (request.Parse.GetValue(wait) && window is null)
            {
                throw new CommandFailedException(ExitCodes.Usage, "--wait needs --close-within: without a window, open connections stay until their clients close them.");
            }

            var body = window is { } w ? new JsonObject { ["closeWithin"] = w.ToString("c", System.Globalization.CultureInfo.InvariantCulture) } : null;
            var answer = await request.Client.SendAsync(HttpMethod.Post, $"{BackendPath(poolName, backendId)}/drain", body, request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            await WriteBackendAsync(request, answer, $"Backend '{backendId}' of pool '{poolName}'");
            if (request.Parse.GetValue(wait))
            {
                await WaitUntilEmptyAsync(request, poolName, backendId, window!.Value);
            }
        });
        return command;
    }

    /// <summary>
    /// Polls the backend until it has no connections; past the window (and the few seconds closes and their
    /// reports take) it gives up with <see cref="ExitCodes.NotDrained"/>.
    /// </summary>
    private static async Task WaitUntilEmptyAsync(CommandRequest request, string pool, string id, TimeSpan window)
    {
        var deadline = DateTime.UtcNow + window + DrainGrace;
        while (true)
        {
            var answer = await request.Client.GetAsync(BackendPath(pool, id), request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            var connections = JsonText.Field(answer.RequireJson(request.Target, "connections"), "connections");
            if (connections == "0")
            {
                await request.Output.WriteLineAsync($"Backend '{id}' of pool '{pool}' has no connections left.");
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CommandFailedException(ExitCodes.NotDrained, $"backend '{id}' of pool '{pool}' still has {connections} connections {window.TotalSeconds:0.#} s after its drain began.");
            }

            await Task.Delay(WaitPollInterval, request.CancellationToken);
        }
    }

    private static Command AdminState(CliContext context, GlobalOptions global, string name, string description)
    {
        var (pool, id) = (PoolArgument(), IdArgument());
        var command = new Command(name, description) { pool, id };
        CommandAction.Set(command, context, global, async request =>
        {
            var (poolName, backendId) = (request.Parse.GetRequiredValue(pool), request.Parse.GetRequiredValue(id));
            var answer = await request.Client.SendAsync(HttpMethod.Post, $"{BackendPath(poolName, backendId)}/{name}", null, request.CancellationToken);
            answer.ThrowIfFailed(request.Target);
            await WriteBackendAsync(request, answer, $"Backend '{backendId}' of pool '{poolName}'");
        });
        return command;
    }

    /// <summary><c>add</c> must not silently replace a backend that a typo in the id happened to hit.</summary>
    private static async Task RefuseExistingAsync(CommandRequest request, string pool, string id)
    {
        var answer = await request.Client.GetAsync($"pools/{ManagementClient.Segment(pool)}", request.CancellationToken);
        answer.ThrowIfFailed(request.Target);
        var existing = answer.RequireJson(request.Target, "backends").GetProperty("backends") is { ValueKind: JsonValueKind.Array } backends
            ? backends.EnumerateArray().FirstOrDefault(b => b.TryGetProperty("id", out var backendId) && backendId.GetString() == id)
            : default;
        if (existing.ValueKind == JsonValueKind.Object)
        {
            throw new CommandFailedException(
                ExitCodes.Refused,
                $"pool '{pool}' already has a backend '{id}' ({JsonText.Field(existing, "address")}); nothing changed. "
                + $"To replace its settings use 'wsorleans backends set {pool} {id} --address …'; to add another, choose a new id.");
        }
    }

    private static async Task WriteBackendAsync(CommandRequest request, ManagementAnswer answer, string subject)
    {
        var backend = answer.RequireJson(request.Target, "address");
        await request.Output.WriteLineAsync(request.Json ? answer.Text.TrimEnd() : $"{subject}: {BackendText.Describe(backend)}.");
    }

    private static string BackendPath(string pool, string id) => $"pools/{ManagementClient.Segment(pool)}/backends/{ManagementClient.Segment(id)}";

    private static Argument<string> PoolArgument() => new("pool") { Description = "The pool's name, as in WsOrleans:Pools:<pool>." };

    private static Argument<string> IdArgument() => new("id") { Description = "The backend's id in the pool." };
}
