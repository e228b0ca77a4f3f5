using WsOrleans.Backends;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The admin API's routes (documented in docs/admin-api.md). Reads are open like <c>/status</c>;
/// every route that changes the cluster goes through <see cref="AdminAuthorization"/>.
/// </summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var pools = endpoints.MapGroup("/pools");
        pools.MapGet("", (PoolAdmin admin, CancellationToken ct) => admin.GetPoolsAsync(ct));
        pools.MapGet("/{pool}", (string pool, PoolAdmin admin, CancellationToken ct) => admin.GetPoolAsync(pool, ct));
        pools.MapGet("/{pool}/backends/{id}", (string pool, string id, PoolAdmin admin, CancellationToken ct) => admin.GetBackendAsync(pool, id, ct));

        var changes = pools.MapGroup("").AddEndpointFilter<AdminAuthorization>();
        changes.MapPut("/{pool}/backends/{id}", (HttpContext context, string pool, string id, PoolAdmin admin) => admin.PutBackendAsync(context, pool, id));
        changes.MapDelete("/{pool}/backends/{id}", (HttpContext context, string pool, string id, PoolAdmin admin) => admin.DeleteBackendAsync(context, pool, id));
        changes.MapPost("/{pool}/backends/{id}/drain", (HttpContext context, string pool, string id, PoolAdmin admin) => admin.DrainAsync(context, pool, id));
        changes.MapPost("/{pool}/backends/{id}/undrain", (HttpContext context, string pool, string id, PoolAdmin admin) =>
            admin.SetAdminStateAsync(context, pool, id, BackendAdminState.Active));
        changes.MapPut("/{pool}/strategy", (HttpContext context, string pool, PoolAdmin admin) => admin.PutStrategyAsync(context, pool));
        changes.MapPost("/{pool}/rebalance", (HttpContext context, string pool, PoolAdmin admin) => admin.RebalanceAsync(context, pool));
        return endpoints;
    }
}
