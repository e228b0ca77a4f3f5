using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Three chat servers behind one Embedded edge (pool <c>chat</c> on <c>/chat</c>, least connections, an
/// affinity cookie) and a headless Chromium, shared by the page tests; each test opens its own browser context.
/// </summary>
public sealed class SignalRChatPageFixture : IAsyncLifetime
{
    internal ChatBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    internal Chromium Chromium { get; private set; } = null!;

    /// <summary>The sample's page, through the edge.</summary>
    internal Uri PageAddress => new(Edge.HttpBase, "/chat/");

    public async Task InitializeAsync()
    {
        Backends = await ChatBackends.StartAsync(3);
        Edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Pools:chat:Path", "/chat"),
            new("WsOrleans:Pools:chat:Affinity:Cookie", SignalRFixture.AffinityCookie),
            .. Backends.AsBackendsOf("chat"),
        ]);
        Chromium = await Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }

        if (Backends is not null)
        {
            await Backends.DisposeAsync();
        }
    }
}
