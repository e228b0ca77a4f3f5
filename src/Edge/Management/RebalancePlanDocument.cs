using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>The JSON answer of <c>POST /pools/{pool}/rebalance</c> (docs/admin-api.md).</summary>
internal sealed record class RebalancePlanDocument(
    string Pool,
    string Outcome,
    long Closes,
    int MaxClosesPerSecond,
    IReadOnlyList<BackendPlanDocument> Backends)
{
    public static RebalancePlanDocument From(string pool, RebalancePlan plan) => new(
        pool,
        plan.Outcome.ToString().ToLowerInvariant(),
        plan.Closes,
        plan.MaxClosesPerSecond,
        [.. plan.Backends.Select(b => new BackendPlanDocument(b.Id, b.Connections, b.Share, b.Closes))]);
}

internal sealed record class BackendPlanDocument(string Id, long Connections, double Share, long Closes);
