using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Three SignalR chat servers (the SignalRChat sample) behind two edges that share one Localhost-mode silo:
/// pool <c>chat</c> on <c>/chat</c>, least connections, with an affinity cookie, as the README configures it.
/// </summary>
public sealed class SignalRFixture : IAsyncLifetime
{
    public const string AffinityCookie = "chat-backend";

    internal ChatBackends Backends { get; private set; } = null!;

    internal TestSilo Silo { get; private set; } = null!;

    internal TestEdge First { get; private set; } = null!;

    internal TestEdge Second { get; private set; } = null!;

    internal IReadOnlyList<Uri> Edges => [First.HttpBase, Second.HttpBase];

    public async Task InitializeAsync()
    {
        Backends = await ChatBackends.StartAsync(3);
        Silo = await TestSilo.StartAsync(
        [
            new("WsOrleans:Pools:chat:Path", "/chat"),
            new("WsOrleans:Pools:chat:Strategy", "LeastConnections"),
            new("WsOrleans:Pools:chat:Affinity:Cookie", AffinityCookie),
            .. Backends.AsBackendsOf("chat"),
        ]);
        First = await TestEdge.StartAsync(Silo.ClientConfiguration);
        Second = await TestEdge.StartAsync(Silo.ClientConfiguration);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Backends.DisposeAsync();
    }
}
