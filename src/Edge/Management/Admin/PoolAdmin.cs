using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The admin API's handlers: each reads and checks its request, makes one call to the pool's routing
/// grain (which persists the change and tells every edge), and turns the grain's answer into HTTP.
/// A request that is refused changes nothing.
/// </summary>
internal sealed partial class PoolAdmin(StatusReader reader, ILogger<PoolAdmin> logger)
{
    public async Task<IResult> GetPoolsAsync(CancellationToken cancellationToken) =>
        Results.Json(new PoolListDocument(await reader.ReadPoolsAsync(cancellationToken)), ManagementJson.Options);

    public async Task<IResult> GetPoolAsync(string pool, CancellationToken cancellationToken) =>
        await reader.ReadPoolAsync(pool, cancellationToken) is { } document
            ? Results.Json(document, ManagementJson.Options)
            : AdminProblems.UnknownPool(pool);

    public async Task<IResult> GetBackendAsync(string pool, string id, CancellationToken cancellationToken)
    {
        if (await reader.ReadPoolAsync(pool, cancellationToken) is not { } document)
        {
            return AdminProblems.UnknownPool(pool);
        }

        return document.Backends.FirstOrDefault(b => b.Id == id) is { } backend
            ? Results.Json(backend, ManagementJson.Options)
            : AdminProblems.UnknownBackend(pool, id);
    }

    public async Task<IResult> PutBackendAsync(HttpContext context, string pool, string id)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<ConfigurationError>();
        if (BackendRequest.Read(id, body, errors) is not { } backend)
        {
            return AdminProblems.Invalid(errors);
        }

        return await ChangeAsync(context, pool, grain => grain.UpsertBackend(backend), result => result.Outcome switch
        {
            AdminOutcome.Added => Created(context, $"/pools/{Uri.EscapeDataString(pool)}/backends/{Uri.EscapeDataString(id)}", Backend(result, id)),
            AdminOutcome.Changed or AdminOutcome.Unchanged => Results.Json(Backend(result, id), ManagementJson.Options),
            AdminOutcome.AddressInUse => AddressTaken(result.Pool!, backend),
            _ => Unexpected(result.Outcome),
        });
    }

    public async Task<IResult> DeleteBackendAsync(HttpContext context, string pool, string id)
    {
        var force = false;
        var forceValues = context.Request.Query["force"];
        if (forceValues.Count > 0 && (forceValues.Count > 1 || !bool.TryParse(forceValues[0], out force)))
        {
            return AdminProblems.Invalid([new("force", forceValues.ToString(), "must be true or false")]);
        }

        return await ChangeAsync(context, pool, grain => grain.RemoveBackend(id, force), result => result.Outcome switch
        {
            AdminOutcome.Removed => Results.NoContent(),
            AdminOutcome.HasConnections => Busy(pool, id, result.Pool!.Backends.First(b => b.Id == id).Connections),
            _ => Unexpected(result.Outcome),
        });
    }

    /// <summary>A drain; with a body <c>{ "closeWithin": "00:00:30" }</c>, its open connections are closed over that window.</summary>
    public async Task<IResult> DrainAsync(HttpContext context, string pool, string id)
    {
        if (context.Request.ContentLength is null or 0 && !context.Request.Headers.TransferEncoding.Any())
        {
            return await SetAdminStateAsync(context, pool, id, BackendAdminState.Draining);
        }

        var (body, problem) = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<ConfigurationError>();
        if (DrainRequest.Read(body, errors) is not { } window)
        {
            return AdminProblems.Invalid(errors);
        }

        return await ChangeAsync(context, pool, grain => grain.DrainWithin(id, window), result => Results.Json(Backend(result, id), ManagementJson.Options));
    }

    /// <summary>One rebalancing round now; answers the plan, or 409 when the pool's strategy would route the moved connections back.</summary>
    public async Task<IResult> RebalanceAsync(HttpContext context, string pool)
    {
        if (await reader.FindAsync(pool, context.RequestAborted) is not { } grain)
        {
            return AdminProblems.UnknownPool(pool);
        }

        var plan = await grain.Rebalance().AsTask().WaitAsync(context.RequestAborted);
        Log.Rebalance(logger, pool, context.Connection.RemoteIpAddress?.ToString(), plan.Outcome, plan.Closes);
        return plan.Outcome switch
        {
            RebalanceOutcome.UnknownPool => AdminProblems.UnknownPool(pool),
            RebalanceOutcome.NotRebalanceable => AdminProblems.Status(
                StatusCodes.Status409Conflict,
                $"Pool '{pool}' balances with a strategy that sends a client back to the same backend (Hash, IpHash or Sticky): closing its connections would not move them, so nothing was closed. "
                + "Rebalancing works with LeastConnections and RoundRobin."),
            _ => Results.Json(RebalancePlanDocument.From(pool, plan), ManagementJson.Options),
        };
    }

    public Task<IResult> SetAdminStateAsync(HttpContext context, string pool, string id, BackendAdminState adminState) =>
        ChangeAsync(context, pool, grain => grain.SetAdminState(id, adminState), result => result.Outcome switch
        {
            AdminOutcome.Changed or AdminOutcome.Unchanged => Results.Json(Backend(result, id), ManagementJson.Options),
            _ => Unexpected(result.Outcome),
        });

    public async Task<IResult> PutStrategyAsync(HttpContext context, string pool)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<ConfigurationError>();
        if (StrategyRequest.Read(body, errors) is not { } strategy)
        {
            return AdminProblems.Invalid(errors);
        }

        return await ChangeAsync(context, pool, grain => grain.SetStrategy(strategy), result => result.Outcome switch
        {
            AdminOutcome.Changed or AdminOutcome.Unchanged => Results.Json(PoolStatusDocument.From(result.Pool!), ManagementJson.Options),
            _ => Unexpected(result.Outcome),
        });
    }

    /// <summary>Finds the pool, makes the change, logs who made it, and answers; unknown pools and backends get 404.</summary>
    private async Task<IResult> ChangeAsync(HttpContext context, string pool, Func<IPoolGrain, ValueTask<AdminResult>> change, Func<AdminResult, IResult> answer)
    {
        if (await reader.FindAsync(pool, context.RequestAborted) is not { } grain)
        {
            return AdminProblems.UnknownPool(pool);
        }

        var result = await change(grain).AsTask().WaitAsync(context.RequestAborted);
        var id = context.Request.RouteValues["id"] as string;
        if (result.Outcome is AdminOutcome.Added or AdminOutcome.Changed or AdminOutcome.Removed)
        {
            Log.Changed(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(), result.Outcome);
        }

        return result.Outcome switch
        {
            AdminOutcome.UnknownPool => AdminProblems.UnknownPool(pool),
            AdminOutcome.UnknownBackend => AdminProblems.UnknownBackend(pool, id ?? ""),
            _ => answer(result),
        };
    }

    private static IResult Created(HttpContext context, string location, object document)
    {
        context.Response.Headers.Location = location;
        return Results.Json(document, ManagementJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static BackendStatusDocument Backend(AdminResult result, string id) =>
        BackendStatusDocument.From(result.Pool!.Backends.First(b => b.Id == id));

    private static IResult AddressTaken(PoolStatus pool, BackendSettings backend)
    {
        var owner = pool.Backends.First(b => b.Id != backend.Id && BackendRules.SameAddress(b.Address, backend.Address));
        return AdminProblems.Fields(
            StatusCodes.Status409Conflict,
            [new(BackendRequest.Address, backend.Address, $"backend '{owner.Id}' of pool '{pool.Settings.Name}' already has this address")]);
    }

    private static IResult Busy(string pool, string id, long connections) => AdminProblems.Status(
        StatusCodes.Status409Conflict,
        $"Backend '{id}' of pool '{pool}' has {connections} live connection{(connections == 1 ? "" : "s")}. "
        + $"Drain it first (POST /pools/{pool}/backends/{id}/drain) and delete it once its connections reach 0, "
        + "or delete it now with ?force=true (its open connections stay open until they close).",
        new Dictionary<string, object?> { ["connections"] = connections });

    private static IResult Unexpected(AdminOutcome outcome) =>
        throw new InvalidOperationException($"The routing grain answered {outcome}, which this request cannot produce.");

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Management.AdminRebalance, Level = LogLevel.Information, Message = "Admin rebalance of pool {Pool} from {Client}: {Outcome}, {Closes} closes planned")]
        public static partial void Rebalance(ILogger logger, string pool, string? client, RebalanceOutcome outcome, long closes);

        [LoggerMessage(EventId = EventIds.Management.AdminChange, Level = LogLevel.Information, Message = "Admin {Method} {Path} from {Client}: {Outcome}")]
        public static partial void Changed(ILogger logger, string method, string path, string? client, AdminOutcome outcome);
    }
}
