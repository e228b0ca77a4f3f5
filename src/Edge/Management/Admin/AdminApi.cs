namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The admin API's routes (documented in docs/admin-api.md). Reads are open like <c>/status</c>.
/// </summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var pools = endpoints.MapGroup("/pools");
        pools.MapGet("", (PoolAdmin admin, CancellationToken ct) => admin.GetPoolsAsync(ct));
        pools.MapGet("/{pool}", (string pool, PoolAdmin admin, CancellationToken ct) => admin.GetPoolAsync(pool, ct));
        pools.MapGet("/{pool}/backends/{id}", (string pool, string id, PoolAdmin admin, CancellationToken ct) => admin.GetBackendAsync(pool, id, ct));
        return endpoints;
    }
}
