using System.Text.Json.Serialization;
using WsOrleans.Backends;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Management;

/// <summary>The JSON of <c>GET /status</c>; its schema is documented in docs/status.md.</summary>
internal sealed record class StatusDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SiloStatusDocument>? Silos,
    IReadOnlyList<EdgeStatusDocument> Edges,
    IReadOnlyList<PoolStatusDocument> Pools,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Problems = null)
{
    /// <summary>Pools the edge answering routes by itself now, because the cluster did not answer (absent when none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DegradedPoolDocument>? Degraded { get; init; }
}

/// <summary>A pool the edge answering routes by itself (docs/status.md).</summary>
internal sealed record class DegradedPoolDocument(string Pool, DateTimeOffset Since, string Reason, long Decisions);

internal sealed record class PoolStatusDocument(
    string Name,
    string Path,
    string Strategy,
    string? HashKey,
    string? AffinityKey,
    string? AffinityCookie,
    string Http,
    int Version,
    IReadOnlyList<BackendStatusDocument> Backends)
{
    public static PoolStatusDocument From(PoolStatus pool) => new(
        pool.Settings.Name,
        pool.Settings.Path,
        pool.Settings.Strategy,
        pool.Settings.HashKey?.ToString(),
        pool.Settings.Affinity?.Key?.ToString(),
        pool.Settings.Affinity?.Cookie,
        pool.Settings.Http.ToString().ToLowerInvariant(),
        pool.Version,
        [.. pool.Backends.Select(BackendStatusDocument.From)]);
}

internal sealed record class BackendStatusDocument(
    string Id,
    string Address,
    int Weight,
    int MaxConnections,
    string Health,
    string AdminState,
    long Connections,
    long TotalConnections,
    string? LastProbe,
    DateTimeOffset? LastProbeAt,
    bool? LastProbePassed,
    int ConsecutiveFailures,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CloseBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EmptySince,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RampedWeight,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? CountsRebuilding)
{
    public static BackendStatusDocument From(BackendStatus backend) => new(
        backend.Id,
        backend.Address,
        backend.Weight,
        backend.MaxConnections,
        backend.Health.ToString().ToLowerInvariant(),
        backend.AdminState.ToString().ToLowerInvariant(),
        backend.Connections,
        backend.TotalConnections,
        backend.LastCheck?.Detail,
        backend.LastCheck?.At,
        backend.LastCheck?.Passed,
        backend.ConsecutiveFailures,
        backend.CloseBy,
        backend.EmptySince,
        backend.RampedWeight is { } ramped ? Math.Round(ramped, 3) : null,
        backend.CountsRebuilding ? true : null);

    /// <summary>Each edge's live connections to this backend, as of its last heartbeat (in <c>GET /status</c> only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, long>? ConnectionsByEdge { get; init; }
}
