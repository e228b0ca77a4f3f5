namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The documented JSON of GET /status, as a client reads it.</summary>
internal sealed record class StatusView(IReadOnlyList<PoolStatusView> Pools);

internal sealed record class PoolStatusView(string Name, string Path, string Strategy, int Version, IReadOnlyList<BackendStatusView> Backends)
{
    public IReadOnlyDictionary<string, long> Connections => Backends.ToDictionary(b => b.Id, b => b.Connections);
}

internal sealed record class BackendStatusView(
    string Id, string Address, int Weight, int MaxConnections, string Health, string AdminState, long Connections, long TotalConnections,
    string? LastProbe = null, bool? LastProbePassed = null, int ConsecutiveFailures = 0);
