using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.RouteBench.Cluster;

/// <summary>
/// One or more silos on free loopback ports with memory storage, set up by the repository's own
/// <see cref="WsOrleansClusterExtensions"/> (which also seed the pools), and the grain factories the
/// benchmark's callers use, one per silo: the silo's own (co-hosted), or an Orleans client host's whose calls
/// go over TCP to that silo's gateway (loopback), as edges spread over gateways. All hosts live in this process.
/// One silo runs as an Embedded one; several join the first in Localhost mode.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<IHost> _silos;
    private readonly List<IHost> _clients;

    private BenchCluster(string mode, List<IHost> silos, List<IHost> clients)
    {
        Mode = mode;
        _silos = silos;
        _clients = clients;
        CallerGrains = [.. (clients.Count > 0 ? clients : silos).Select(host => host.Services.GetRequiredService<IGrainFactory>())];
    }

    public string Mode { get; }

    public int Silos => _silos.Count;

    /// <summary>One grain factory per silo for the callers: the clients' in loopback mode, the silos' in co-hosted mode.</summary>
    public ImmutableArray<IGrainFactory> CallerGrains { get; }

    /// <summary>The first silo's grain factory, for the benchmark's own questions (status, activations).</summary>
    public IGrainFactory Grains => _silos[0].Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchCluster> StartAsync(string mode, int silos, ImmutableArray<PoolDefinition> pools, TurnTimer turns, CancellationToken cancellationToken)
    {
        var ports = FreePorts.Take(2 * silos);
        var primary = ports[0];
        var settings = Enumerable.Range(0, silos).Select(i => new ClusterSettings
        {
            Mode = silos == 1 && mode == BenchModes.Cohosted ? ClusterMode.Embedded : ClusterMode.Localhost,
            ServiceId = "wsorleans-routebench",
            ClusterId = $"routebench-{Environment.ProcessId}",
            SiloPort = ports[2 * i],
            PrimarySiloPort = primary,
            GatewayPort = ports[2 * i + 1],
        }).ToList();

        var started = new List<IHost>();
        var clients = new List<IHost>();
        try
        {
            // The primary first: the others join it.
            foreach (var cluster in settings)
            {
                var builder = CreateBuilder();
                builder.AddWsOrleansSilo(new WsOrleansSettings { Cluster = cluster, Pools = pools }, silo => turns.AddTo(silo));
                var silo = builder.Build();
                started.Add(silo);
                await silo.StartAsync(cancellationToken);
            }

            if (mode == BenchModes.Loopback)
            {
                foreach (var cluster in settings)
                {
                    var builder = CreateBuilder();
                    builder.AddWsOrleansClient(new WsOrleansSettings { Cluster = cluster with { Mode = ClusterMode.Localhost } });
                    var client = builder.Build();
                    clients.Add(client);
                    await client.StartAsync(cancellationToken);
                }
            }
        }
        catch
        {
            await StopAllAsync(clients);
            await StopAllAsync(started);
            throw;
        }

        return new BenchCluster(mode, started, clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync(_clients);
        await StopAllAsync(Enumerable.Reverse(_silos));
    }

    private static async Task StopAllAsync(IEnumerable<IHost> hosts)
    {
        foreach (var host in hosts.ToList())
        {
            try
            {
                await host.StopAsync(CancellationToken.None);
            }
            finally
            {
                host.Dispose();
            }
        }
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
