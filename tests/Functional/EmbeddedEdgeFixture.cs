using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// One edge in Embedded mode (its own silo) in front of three echo backends, with a pool for each
/// situation the tests need: <c>/ws</c> (least connections over a, b, c), <c>/capped</c> (a alone,
/// at most one connection), <c>/empty</c> (no backends), <c>/wsonly</c> (a, WebSockets only: plain HTTP gets 426).
/// Its tunnels run on the default engine (the event loop).
/// </summary>
public class EmbeddedEdgeFixture : IAsyncLifetime
{
    internal EchoBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(3);
        Edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Pools:default:Path", "/ws"),
            .. Backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            new("WsOrleans:Pools:capped:Backends:0:Address", Backends["a"].WebSocketAddress.ToString()),
            new("WsOrleans:Pools:capped:Backends:0:MaxConnections", "1"),
            new("WsOrleans:Pools:empty:Path", "/empty"),
            new("WsOrleans:Pools:wsonly:Path", "/wsonly"),
            new("WsOrleans:Pools:wsonly:Http", "Refuse"),
            new("WsOrleans:Pools:wsonly:Backends:0:Address", Backends["a"].WebSocketAddress.ToString()),
            .. Settings,
        ]);
    }

    /// <summary>What a derived fixture sets on top.</summary>
    private protected virtual KeyValuePair<string, string?>[] Settings => [];

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedEdgeCollection : ICollectionFixture<EmbeddedEdgeFixture>
{
    public const string Name = "embedded edge";
}

/// <summary>The same edge with its tunnels on .NET's async sockets (<c>Edge:Tunnel=Managed</c>).</summary>
public sealed class ManagedEdgeFixture : EmbeddedEdgeFixture
{
    private protected override KeyValuePair<string, string?>[] Settings => [new("WsOrleans:Edge:Tunnel", "Managed")];
}

[CollectionDefinition(Name)]
public sealed class ManagedEdgeCollection : ICollectionFixture<ManagedEdgeFixture>
{
    public const string Name = "embedded edge, managed tunnels";
}

/// <summary>The same edge asking the silo's router for every handshake (<c>Edge:RouteLocally=false</c>).</summary>
public sealed class SiloRoutedEdgeFixture : EmbeddedEdgeFixture
{
    private protected override KeyValuePair<string, string?>[] Settings => [new("WsOrleans:Edge:RouteLocally", "false")];
}

[CollectionDefinition(Name)]
public sealed class SiloRoutedEdgeCollection : ICollectionFixture<SiloRoutedEdgeFixture>
{
    public const string Name = "embedded edge, routed by the silo's router";
}
