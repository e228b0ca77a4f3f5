using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.RouteBench.Cluster;

/// <summary>
/// One silo on free loopback ports with memory storage, set up by the repository's own
/// <see cref="WsOrleansClusterExtensions"/> (which also seed the pools), and the grain factory the
/// benchmark's callers use: the silo's own (co-hosted), or a separate Orleans client host's whose calls
/// go to the silo's gateway over TCP (loopback). Both hosts live in this process.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly IHost _silo;
    private readonly IHost? _client;

    private BenchCluster(string mode, IHost silo, IHost? client, int gatewayPort)
    {
        Mode = mode;
        _silo = silo;
        _client = client;
        GatewayPort = gatewayPort;
        Grains = (client ?? silo).Services.GetRequiredService<IGrainFactory>();
    }

    public string Mode { get; }

    /// <summary>The grain factory callers use: the client's in loopback mode, the silo's in co-hosted mode.</summary>
    public IGrainFactory Grains { get; }

    public int GatewayPort { get; }

    public static async Task<BenchCluster> StartAsync(string mode, ImmutableArray<PoolDefinition> pools, CancellationToken cancellationToken)
    {
        var ports = FreePorts.Take(2);
        var cluster = new ClusterSettings
        {
            Mode = mode == BenchModes.Cohosted ? ClusterMode.Embedded : ClusterMode.Localhost,
            ServiceId = "wsorleans-routebench",
            ClusterId = $"routebench-{Environment.ProcessId}",
            SiloPort = ports[0],
            PrimarySiloPort = ports[0],
            GatewayPort = ports[1],
        };

        var siloBuilder = CreateBuilder();
        siloBuilder.AddWsOrleansSilo(new WsOrleansSettings { Cluster = cluster, Pools = pools });
        var silo = siloBuilder.Build();
        await silo.StartAsync(cancellationToken);
        if (mode == BenchModes.Cohosted)
        {
            return new BenchCluster(mode, silo, null, cluster.GatewayPort);
        }

        var clientBuilder = CreateBuilder();
        clientBuilder.AddWsOrleansClient(new WsOrleansSettings { Cluster = cluster with { Mode = ClusterMode.Localhost } });
        var client = clientBuilder.Build();
        try
        {
            await client.StartAsync(cancellationToken);
        }
        catch
        {
            client.Dispose();
            await silo.StopAsync(CancellationToken.None);
            silo.Dispose();
            throw;
        }

        return new BenchCluster(mode, silo, client, cluster.GatewayPort);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync(CancellationToken.None);
            _client.Dispose();
        }

        await _silo.StopAsync(CancellationToken.None);
        _silo.Dispose();
    }

    /// <summary>A bare host: no configuration files, warnings and errors only, and on stderr (stdout carries the JSON).</summary>
    private static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // At start-up it reports the time since the machine booted as a stalled check.
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        return builder;
    }
}
