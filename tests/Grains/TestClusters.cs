using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace WsOrleans.Tests.Grains;

internal static class TestClusters
{
    /// <summary>
    /// Starts an in-process cluster of <paramref name="silos"/> silos whose grain storage survives silo kills.
    /// With <paramref name="time"/>, grains read that clock and their timers fire when it is advanced, while
    /// Orleans' own loops (membership, messaging, activation collection) stay on real time.
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(short silos, FakeTimeProvider? time = null)
    {
        var store = new ConcurrentDictionary<string, (byte[] Data, string ETag)>();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(
                StorageNames.Configuration,
                (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>(), store));
            if (time is not null)
            {
                silo.Services.AddSingleton<TimeProvider>(time);
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
