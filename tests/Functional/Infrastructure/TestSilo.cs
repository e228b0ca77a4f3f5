using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>A Localhost-mode silo in this process, on free ports, built the way the Silo program builds one.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host, int gatewayPort)
    {
        _host = host;
        GatewayPort = gatewayPort;
    }

    public int GatewayPort { get; }

    /// <summary>This silo's ports, to start another in its place.</summary>
    public (int Silo, int Gateway) Ports { get; private init; }

    /// <summary>Configuration an edge (or silo) needs to join a Redis-mode cluster kept in <paramref name="redis"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> RedisClientConfiguration(RedisServer redis) =>
    [
        new("WsOrleans:Cluster:Mode", "Redis"),
        new("WsOrleans:Cluster:ConnectionString", redis.ConnectionString),
    ];

    /// <summary>Configuration an edge needs to join this silo's cluster as a client.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ClientConfiguration =>
    [
        new("WsOrleans:Cluster:Mode", "Localhost"),
        new("WsOrleans:Cluster:GatewayPort", GatewayPort.ToString()),
    ];

    /// <summary>A Localhost-mode silo; or, with <paramref name="redis"/>, a Redis-mode one (a cluster of any number of them).</summary>
    public static async Task<TestSilo> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> configuration,
        RedisServer? redis = null,
        Action<HostApplicationBuilder>? configure = null,
        (int Silo, int Gateway)? ports = null)
    {
        var siloPort = ports?.Silo ?? FreePort.Next();
        var gatewayPort = ports?.Gateway ?? FreePort.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration.Concat(
            redis is null
                ? [new("WsOrleans:Cluster:Mode", "Localhost"), new("WsOrleans:Cluster:PrimarySiloPort", siloPort.ToString())]
                : RedisClientConfiguration(redis).Append(new("WsOrleans:Cluster:AdvertisedAddress", "127.0.0.1")))
        .Concat(
        [
            new("WsOrleans:Cluster:SiloPort", siloPort.ToString()),
            new("WsOrleans:Cluster:GatewayPort", gatewayPort.ToString()),
            new("Logging:LogLevel:Default", "Warning"),
        ]));
        configure?.Invoke(builder);
        builder.AddWsOrleansSilo(WsOrleansSettings.Load(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, gatewayPort) { Ports = (siloPort, gatewayPort) };
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
