using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Hosting.Seeding;

/// <summary>
/// Seeds this process's configured pools into the cluster at start-up. Seeding is idempotent, so
/// silos and edges may all carry the same <c>Pools</c> section. A pool the cluster refuses (its path
/// is taken) stops start-up with the reason.
/// </summary>
internal sealed partial class PoolSeeder(IGrainFactory grains, WsOrleansSettings settings, ILogger<PoolSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in settings.Pools)
        {
            await grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool).AsTask().WaitAsync(cancellationToken);
            Log.PoolSeeded(logger, pool.Settings.Name, pool.Settings.Path, pool.Settings.Strategy, pool.Backends.Length);
        }

        if (settings.Pools.IsEmpty)
        {
            Log.NoPools(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Pool {Pool} on {Path}: {Strategy}, {Backends} backends")]
        public static partial void PoolSeeded(ILogger logger, string pool, string path, string strategy, int backends);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "No pools configured here; serving the pools the cluster knows")]
        public static partial void NoPools(ILogger logger);
    }
}
