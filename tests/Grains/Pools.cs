using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Pools;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// Builds pool definitions with unique names and paths, so tests can share one cluster. Nothing listens
/// at their backends' addresses, so active health checks are off (Mode None) unless a test turns them on.
/// </summary>
internal static class Pools
{
    private static readonly Guid EdgeInstance = Guid.NewGuid();
    private static int _next;
    private static long _released;

    public static PoolDefinition Define(string strategy, int backends, int maxConnections = 0)
    {
        var name = $"pool-{Interlocked.Increment(ref _next)}";
        return new PoolDefinition(
            new PoolSettings { Name = name, Path = $"/{name}", Strategy = strategy, HealthCheck = new() { Mode = HealthCheckMode.None } },
            [.. Enumerable.Range(1, backends).Select(i => Backend($"b{i}", 5000 + i, maxConnections))]);
    }

    public static BackendSettings Backend(string id, int port, int maxConnections = 0) =>
        new() { Id = id, Address = $"ws://127.0.0.1:{port}", MaxConnections = maxConnections };

    public static PoolDefinition WithBackends(this PoolDefinition pool, params BackendSettings[] backends) =>
        pool with { Backends = [.. backends] };

    /// <summary>
    /// One of <paramref name="edgeId"/>'s connections to <paramref name="backend"/> ended, released as an edge process
    /// does: numbered (numbers unique across the tests' one edge process, which is all the backend grain needs).
    /// </summary>
    public static Task ReleaseOneAsync(this IBackendGrain backend, string edgeId) =>
        backend.ReleaseNumbered(edgeId, EdgeInstance, [Interlocked.Increment(ref _released)]).AsTask();

    public static Task<BackendView> BackendView(this IGrainFactory grains, string pool, string backendId) =>
        grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, backendId)).GetView().AsTask();

    public static async Task<ImmutableArray<BackendStatus>> Backends(this IGrainFactory grains, string pool) =>
        (await grains.GetGrain<IPoolGrain>(pool).GetStatus())!.Backends;
}
