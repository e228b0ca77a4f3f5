using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Hosting.Seeding;

namespace WsOrleans.Hosting.Cluster;

/// <summary>Joins a host to the WsOrleans cluster as a silo or as a client, as <see cref="ClusterSettings.Mode"/> says.</summary>
public static class WsOrleansClusterExtensions
{
    private static readonly TimeSpan MembershipRefresh = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Hosts a silo that runs the WsOrleans grains and seeds this process's pools into them.
    /// Embedded: a single silo with its own localhost clustering. Localhost: one of several silos on
    /// this machine, joining the primary silo at <see cref="ClusterSettings.PrimarySiloPort"/>; both
    /// keep grain state in memory. Redis: membership and grain state in Redis, silos anywhere.
    /// <paramref name="configure"/> adds to the silo (the Silo program's Orleans Dashboard).
    /// </summary>
    public static IHostApplicationBuilder AddWsOrleansSilo(this IHostApplicationBuilder builder, WsOrleansSettings settings, Action<ISiloBuilder>? configure = null)
    {
        var cluster = settings.Cluster;
        builder.UseOrleans(silo =>
        {
            configure?.Invoke(silo);
            if (cluster.Tls.Enabled)
            {
                silo.UseTls(o => ClusterTls.Configure(o, cluster.Tls));
            }

            silo.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
            // A killed silo is declared dead after about three seconds of failed probes instead of
            // Orleans' default of several more, so routing grains it held move within the five seconds
            // an operator expects a proxy fleet to lose. Probes of a live silo still tolerate two
            // misses, and Orleans lengthens them while this silo itself is degraded.
            // A silo declared dead while cut off from the others alone still reaches Redis and the edges: it learns it
            // is dead from the table, read every MembershipRefresh instead of Orleans' minute, so its copies of the
            // grains (which the others have started again) stop serving soon after.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 3;
                o.TableRefreshTimeout = MembershipRefresh;
            });
            silo.Services.AddSingleton<Orleans.Runtime.IFatalErrorHandler, SupervisedExit>();
            silo.Configure<CountRebuildOptions>(o => o.RebuildTime = settings.Edge.HeartbeatInterval + MembershipRefresh + TimeSpan.FromSeconds(1));
            if (cluster.Mode == ClusterMode.Redis)
            {
                silo.UseRedisClustering(cluster.ConnectionString);
                silo.AddRedisGrainStorage(StorageNames.Configuration, o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.ConnectionString));

                // One activation per grain, whatever the silos think of each other: Orleans' own directory is
                // spread over the silos and, while two of them cannot reach each other, may let each activate the
                // same routing grain, and then each fills a capped backend. Registration in Redis is atomic.
                silo.UseRedisGrainDirectoryAsDefault(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.ConnectionString));
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = cluster.SiloPort;
                    o.GatewayPort = cluster.GatewayPort;
                    if (cluster.AdvertisedAddress is { } address)
                    {
                        o.AdvertisedIPAddress = address;
                    }
                });
                return;
            }

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

    /// <summary>
    /// Connects to a cluster of silos as an Orleans client: in Localhost mode through the gateway at
    /// <see cref="ClusterSettings.GatewayPort"/>, in Redis mode through any gateway Redis lists.
    /// </summary>
    public static IHostApplicationBuilder AddWsOrleansClient(this IHostApplicationBuilder builder, WsOrleansSettings settings)
    {
        var cluster = settings.Cluster;
        builder.UseOrleansClient(client =>
        {
            if (cluster.Tls.Enabled)
            {
                client.UseTls(o => ClusterTls.Configure(o, cluster.Tls));
            }

            if (cluster.Mode == ClusterMode.Redis)
            {
                client.UseRedisClustering(cluster.ConnectionString);
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }

            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });

            // An edge must find a new gateway soon after its silo dies, not a minute later.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        });
        return builder.AddWsOrleansCommon(settings);
    }

    /// <summary>How often an edge re-reads the list of live gateways. Orleans' default is one minute.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

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

            // Its only messages are per request (start and end, at Information), and while any level
            // of it is on, ASP.NET Core also starts an Activity and a log scope for every request: a
            // cost on every handshake for lines the edge's own handshake metrics and connection log
            // already give. Unhandled errors are Kestrel's to log, not this category's.
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",

            // YARP logs every forwarded request's URL, query string included (where SignalR puts access
            // tokens), at Information, and every failure it reports to the edge, which logs what it does
            // about it in its own words.
            ["Logging:LogLevel:Yarp"] = "Error",
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<PoolSeeder>();
        return builder;
    }
}
