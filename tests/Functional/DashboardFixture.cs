using Microsoft.Playwright;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// One Embedded edge with an ApiKey in front of two echo backends (a, b), and a headless Chromium.
/// Each test owns a pool (<c>/live</c>, <c>/drain</c>, <c>/schema</c>) and a fresh browser context, so
/// none sees another's connections, drains or stored key.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ApiKey = "dashboard-key-51d2";

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    internal Chromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Every Expect waits up to this long for the page to show a state: it polls /status every
        // second, and a loaded CI machine may be slow to render.
        Assertions.SetDefaultExpectTimeout(15_000);
        Backends = await EchoBackends.StartAsync(2);
        Edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Management:ApiKey", ApiKey),
            .. Pool("live"),
            .. Pool("drain"),
            .. Pool("schema"),
        ]);
        Chromium = await Chromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        await Edge.DisposeAsync();
        await Backends.DisposeAsync();
    }

    private IEnumerable<KeyValuePair<string, string?>> Pool(string name) =>
    [
        new($"WsOrleans:Pools:{name}:Path", $"/{name}"),
        new($"WsOrleans:Pools:{name}:Strategy", "LeastConnections"),
        .. Backends.AsBackendsOf(name),
    ];
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
