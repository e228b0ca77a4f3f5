using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Hosting.Seeding;

namespace WsOrleans.Hosting.Cluster;

/// <summary>Joins a host to the WsOrleans cluster as a silo or as a client, as <see cref="ClusterSettings.Mode"/> says.</summary>
public static class WsOrleansClusterExtensions
{
    /// <summary>
    /// Hosts a silo that runs the WsOrleans grains and seeds this process's pools into them.
    /// Embedded: a single silo with its own localhost clustering. Localhost: one of several silos on
    /// this machine, joining the primary silo at <see cref="ClusterSettings.PrimarySiloPort"/>.
    /// </summary>
    public static IHostApplicationBuilder AddWsOrleansSilo(this IHostApplicationBuilder builder, WsOrleansSettings settings)
    {
        var cluster = settings.Cluster;
        builder.UseOrleans(silo =>
        {
            var primary = cluster.Mode == ClusterMode.Embedded ? cluster.SiloPort : cluster.PrimarySiloPort;
            silo.UseLocalhostClustering(
                cluster.SiloPort,
                cluster.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, primary),
                cluster.ServiceId,
                cluster.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.Configuration);
        });
        return builder.AddWsOrleansCommon(settings);
    }

    /// <summary>Connects to a cluster of silos as an Orleans client (Localhost mode: the gateway at <see cref="ClusterSettings.GatewayPort"/>).</summary>
    public static IHostApplicationBuilder AddWsOrleansClient(this IHostApplicationBuilder builder, WsOrleansSettings settings)
    {
        var cluster = settings.Cluster;
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
        });
        return builder.AddWsOrleansCommon(settings);
    }

    /// <summary>Quiet defaults for Orleans' and ASP.NET Core's own logging; configuration can still raise them.</summary>
    public static void AddWsOrleansLoggingDefaults(this IConfigurationBuilder configuration)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Orleans"] = "Warning",
            ["Logging:LogLevel:Polly"] = "Warning",

            // At start-up it reports the time since the machine booted as a stalled check.
            ["Logging:LogLevel:Orleans.Runtime.Watchdog"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        if (configuration is IConfigurationManager manager)
        {
            manager.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        }
        else
        {
            configuration.AddInMemoryCollection(defaults);
        }
    }

    private static IHostApplicationBuilder AddWsOrleansCommon(this IHostApplicationBuilder builder, WsOrleansSettings settings)
    {
        builder.Services.TryAddSingleton(settings);
        builder.Services.AddHostedService<PoolSeeder>();
        return builder;
    }
}
