using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Hosting.Seeding;

/// <summary>
/// Seeds this process's configured pools into the cluster at start-up. Seeding is idempotent, so
/// silos and edges may all carry the same <c>Pools</c> section. A pool the cluster refuses (its path
/// is taken) stops start-up with the reason. Afterwards it repairs every <see cref="RepairInterval"/>:
/// a pool whose memory state died with a silo is seeded again, and its route republished.
/// </summary>
internal sealed partial class PoolSeeder(IGrainFactory grains, WsOrleansSettings settings, TimeProvider time, ILogger<PoolSeeder> logger) : BackgroundService
{
    public static readonly TimeSpan RepairInterval = TimeSpan.FromSeconds(15);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in settings.Pools)
        {
            await SeedAsync(pool, cancellationToken);
            Log.PoolSeeded(logger, pool.Settings.Name, pool.Settings.Path, pool.Settings.Strategy, pool.Backends.Length);
        }

        if (settings.Pools.IsEmpty)
        {
            Log.NoPools(logger);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Seeds one pool. Seeding is idempotent, so a call the cluster lost (the silo holding the
    /// routing grain died under it) is made again for <see cref="SeedRetryWindow"/> instead of
    /// stopping this process; a pool the cluster refuses (<see cref="ArgumentException"/>) is not.
    /// </summary>
    private async Task SeedAsync(PoolDefinition pool, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await grains.GetGrain<IPoolGrain>(pool.Settings.Name).Seed(pool).AsTask().WaitAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not (ArgumentException or OperationCanceledException) && time.GetElapsedTime(started) < SeedRetryWindow)
            {
                Log.SeedRetried(logger, pool.Settings.Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    /// <summary>How long start-up keeps seeding a pool while the cluster loses the calls.</summary>
    public static readonly TimeSpan SeedRetryWindow = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Pools.IsEmpty)
        {
            return;
        }

        using var timer = new PeriodicTimer(RepairInterval, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            foreach (var pool in settings.Pools)
            {
                try
                {
                    await grains.GetGrain<IPoolGrain>(pool.Settings.Name).Repair(pool).AsTask().WaitAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RepairFailed(logger, pool.Settings.Name, e.Message);
                }
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Hosting.PoolSeeded, Level = LogLevel.Information, Message = "Pool {Pool} on {Path}: {Strategy}, {Backends} backends")]
        public static partial void PoolSeeded(ILogger logger, string pool, string path, string strategy, int backends);

        [LoggerMessage(EventId = EventIds.Hosting.NoPools, Level = LogLevel.Information, Message = "No pools configured here; serving the pools the cluster knows")]
        public static partial void NoPools(ILogger logger);

        [LoggerMessage(EventId = EventIds.Hosting.PoolRepairFailed, Level = LogLevel.Warning, Message = "Could not check pool {Pool} in the cluster: {Reason}")]
        public static partial void RepairFailed(ILogger logger, string pool, string reason);

        [LoggerMessage(EventId = EventIds.Hosting.PoolSeedRetried, Level = LogLevel.Warning, Message = "Seeding pool {Pool} failed, trying again: {Reason}")]
        public static partial void SeedRetried(ILogger logger, string pool, string reason);
    }
}
