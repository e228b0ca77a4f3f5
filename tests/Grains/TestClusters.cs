using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace WsOrleans.Tests.Grains;

internal static class TestClusters
{
    /// <summary>Starts an in-process cluster of <paramref name="silos"/> silos whose grain storage survives silo kills.</summary>
    public static async Task<InProcessTestCluster> StartAsync(short silos)
    {
        var store = new ConcurrentDictionary<string, (byte[] Data, string ETag)>();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) => silo.Services.AddGrainStorage(
            StorageNames.Configuration,
            (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>(), store)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
