using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// One Embedded edge in front of echo backends a and b, for plain HTTP on pools' paths: <c>/ws</c>
/// (least connections over a and b), <c>/flaky</c> (round robin over a backend where nothing listens,
/// then a; no health checks, so the dead one keeps being chosen and retried), <c>/hung</c> (round
/// robin over a wss:// backend that accepts TCP but never answers its TLS handshake, then a), <c>/empty</c>
/// (no backends). The edge connects within 0.5 s, answers a handshake's backend within 1 s but lets plain
/// requests idle 6 s, and logs connections.
/// </summary>
public sealed class HttpForwardingFixture : IAsyncLifetime
{
    public static readonly TimeSpan HttpActivityTimeout = TimeSpan.FromSeconds(6);

    // Accepts connections (the kernel completes them) and never reads or writes: a TLS handshake to it hangs.
    private readonly System.Net.Sockets.TcpListener _silent = new(System.Net.IPAddress.Loopback, 0);

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    internal CapturingLoggerProvider Logs { get; } = new();

    internal int DeadPort { get; } = FreePort.Next();

    public async Task InitializeAsync()
    {
        _silent.Start();
        Backends = await EchoBackends.StartAsync(2);
        Edge = await TestEdge.StartAsync(
            [
                new("WsOrleans:Edge:BackendResponseTimeout", "00:00:01"),
                new("WsOrleans:Edge:BackendConnectTimeout", "00:00:00.500"),
                new("WsOrleans:Edge:HttpActivityTimeout", HttpActivityTimeout.ToString("c")),
                new("Logging:LogLevel:WsOrleans.Connections", "Information"),
                new("WsOrleans:Pools:default:Path", "/ws"),
                .. Backends.AsBackendsOf("default"),
                new("WsOrleans:Pools:flaky:Path", "/flaky"),
                new("WsOrleans:Pools:flaky:Strategy", "RoundRobin"),
                new("WsOrleans:Pools:flaky:HealthCheck:Mode", "None"),
                new("WsOrleans:Pools:flaky:Backends:0:Id", "dead"),
                new("WsOrleans:Pools:flaky:Backends:0:Address", $"ws://127.0.0.1:{DeadPort}"),
                new("WsOrleans:Pools:flaky:Backends:1:Id", "a"),
                new("WsOrleans:Pools:flaky:Backends:1:Address", Backends["a"].WebSocketAddress.ToString()),
                new("WsOrleans:Pools:hung:Path", "/hung"),
                new("WsOrleans:Pools:hung:Strategy", "RoundRobin"),
                new("WsOrleans:Pools:hung:HealthCheck:Mode", "None"),
                new("WsOrleans:Pools:hung:HealthCheck:UnhealthyThreshold", "100"),
                new("WsOrleans:Pools:hung:Backends:0:Id", "hung"),
                new("WsOrleans:Pools:hung:Backends:0:Address", $"wss://127.0.0.1:{((System.Net.IPEndPoint)_silent.LocalEndpoint).Port}"),
                new("WsOrleans:Pools:hung:Backends:1:Id", "a"),
                new("WsOrleans:Pools:hung:Backends:1:Address", Backends["a"].WebSocketAddress.ToString()),
                new("WsOrleans:Pools:empty:Path", "/empty"),
            ],
            builder => builder.Services.AddSingleton<ILoggerProvider>(Logs));
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Backends.DisposeAsync();
        _silent.Stop();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpForwardingCollection : ICollectionFixture<HttpForwardingFixture>
{
    public const string Name = "plain HTTP through one edge";
}
