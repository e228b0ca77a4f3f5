using WsOrleans.SignalRChat;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>One chat server (a) and a headless Chromium, shared by the page tests; each test opens its own browser context.</summary>
public sealed class SignalRChatPageFixture : IAsyncLifetime
{
    internal ChatServer Server { get; private set; } = null!;

    internal Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ChatServer.StartAsync("a");
        Chromium = await Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
