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

    /// <summary>
    /// Waits until no session of another test is open, at the backends and in the cluster's counts: least
    /// connections picks by the cluster's counts, which follow the edges' releases a few milliseconds behind.
    /// </summary>
    internal async Task WaitUntilIdleAsync()
    {
        await Eventually.Until(() => Task.FromResult(Backends.OpenConnections.Values.Sum()), open => open == 0, "no session left open by another test");
        await First.PoolCountingAsync("chat", 0);
    }

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
