using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// One Embedded edge in front of echo backends a and b, for plain HTTP on pools' paths: <c>/ws</c>
/// (least connections over a and b), <c>/flaky</c> (round robin over a backend where nothing listens,
/// then a; no health checks, so the dead one keeps being chosen and retried), <c>/empty</c> (no
/// backends). The edge answers a handshake's backend within 1 s but lets plain requests idle 3 s,
/// and logs connections.
/// </summary>
public sealed class HttpForwardingFixture : IAsyncLifetime
{
    public static readonly TimeSpan HttpActivityTimeout = TimeSpan.FromSeconds(3);

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    internal CapturingLoggerProvider Logs { get; } = new();

    internal int DeadPort { get; } = FreePort.Next();

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(2);
        Edge = await TestEdge.StartAsync(
            [
                new("WsOrleans:Edge:BackendResponseTimeout", "00:00:01"),
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
                new("WsOrleans:Pools:empty:Path", "/empty"),
            ],
            builder => builder.Services.AddSingleton<ILoggerProvider>(Logs));
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpForwardingCollection : ICollectionFixture<HttpForwardingFixture>
{
    public const string Name = "plain HTTP through one edge";
}
