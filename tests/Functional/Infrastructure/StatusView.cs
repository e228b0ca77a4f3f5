namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The documented JSON of GET /status, as a client reads it.</summary>
/// <remarks><see cref="Silos"/> is null when the edge could not read the membership (then <see cref="Problems"/> says so).</remarks>
internal sealed record class StatusView(IReadOnlyList<SiloStatusView> Silos, IReadOnlyList<EdgeStatusView> Edges, IReadOnlyList<PoolStatusView> Pools, IReadOnlyList<string>? Problems = null)
{
    public override string ToString() =>
        $"silos [{string.Join(", ", (Silos ?? []).Select(s => $"{s.Address} {s.Status}"))}], edges [{string.Join(", ", Edges.Select(e => $"{e.Id} {e.Connections}"))}], " +
        $"pools [{string.Join("; ", Pools.Select(p => $"{p.Name}: {string.Join(", ", p.Backends.Select(b => $"{b.Id} {b.Connections}"))}"))}]";
}

internal sealed record class SiloStatusView(string Address, string Name, string HostName, string Status, DateTimeOffset Since, DateTimeOffset LastAlive);

internal sealed record class EdgeStatusView(string Id, string Address, DateTimeOffset LastHeartbeat, DateTimeOffset LeaseExpires, long Connections, IReadOnlyList<EdgeBackendView> Backends);

internal sealed record class EdgeBackendView(string Pool, string Backend, long Connections);

internal sealed record class PoolStatusView(
    string Name, string Path, string Strategy, int Version, IReadOnlyList<BackendStatusView> Backends, string Http = "", string? AffinityCookie = null)
{
    public IReadOnlyDictionary<string, long> Connections => Backends.ToDictionary(b => b.Id, b => b.Connections);
}

internal sealed record class BackendStatusView(
    string Id, string Address, int Weight, int MaxConnections, string Health, string AdminState, long Connections, long TotalConnections,
    string? LastProbe = null, bool? LastProbePassed = null, int ConsecutiveFailures = 0,
    IReadOnlyDictionary<string, long>? ConnectionsByEdge = null,
    DateTimeOffset? CloseBy = null, DateTimeOffset? EmptySince = null, double? RampedWeight = null, bool CountsRebuilding = false);
