namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Reading /status of a process cluster and comparing it with what the backends see.</summary>
internal static class ClusterStatus
{
    public static PoolStatusView Default(StatusView status) => status.Pools.Single(p => p.Name == "default");

    public static IReadOnlyList<(string Id, long Connections)> Counts(StatusView status) =>
        [.. Default(status).Backends.Select(b => (b.Id, b.Connections))];

    public static IReadOnlyList<(string Id, long Connections)> EdgeConnections(StatusView status) =>
        [.. status.Edges.Select(e => (e.Id, e.Connections))];

    public static string Describe(StatusView? status) =>
        status is null || status.Pools.Count == 0
            ? "no status"
            : $"backends [{string.Join(", ", Counts(status))}], edges [{string.Join(", ", EdgeConnections(status))}], silos [{string.Join(", ", status.Silos.Select(s => $"{s.Address} {s.Status}"))}]";

    /// <summary>
    /// Waits until <paramref name="edge"/>'s /status counts <paramref name="total"/> connections,
    /// backend by backend equal to each backend's own count of open sockets.
    /// </summary>
    public static async Task<StatusView> UntilCountsMatchBackends(ProcessEdge edge, EchoBackends backends, long total, string expected, TimeSpan? timeout = null)
    {
        var status = await Eventually.Until(
            edge.TryStatusAsync,
            s => s is { Pools.Count: > 0 } && Default(s).Backends.Sum(x => x.Connections) == total
                && Default(s).Backends.All(x => x.Connections == backends.OpenConnections[x.Id]),
            $"{expected} (backends' own counts: {string.Join(", ", backends.OpenConnections)})",
            timeout ?? TimeSpan.FromSeconds(30));
        return status!;
    }
}
