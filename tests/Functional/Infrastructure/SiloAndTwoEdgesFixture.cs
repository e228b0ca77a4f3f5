namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// The shared-state deployment many tests need: echo backends, one Localhost-mode silo that holds the
/// pools, and two edges that join it as clients with no <c>Pools</c> of their own. A fixture says
/// which pools the silo seeds and what each edge adds.
/// </summary>
public abstract class SiloAndTwoEdgesFixture(int backends) : IAsyncLifetime
{
    internal EchoBackends Backends { get; private set; } = null!;

    internal TestSilo Silo { get; private set; } = null!;

    internal TestEdge First { get; private set; } = null!;

    internal TestEdge Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(backends);
        Silo = await TestSilo.StartAsync(SiloConfiguration(Backends));
        First = await TestEdge.StartAsync([.. Silo.ClientConfiguration, .. FirstEdgeConfiguration]);
        Second = await TestEdge.StartAsync([.. Silo.ClientConfiguration, .. SecondEdgeConfiguration]);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Backends.DisposeAsync();
    }

    /// <summary>The silo's configuration: the pools it seeds over <paramref name="backends"/>.</summary>
    private protected abstract IEnumerable<KeyValuePair<string, string?>> SiloConfiguration(EchoBackends backends);

    private protected virtual IEnumerable<KeyValuePair<string, string?>> FirstEdgeConfiguration => [];

    private protected virtual IEnumerable<KeyValuePair<string, string?>> SecondEdgeConfiguration => [];
}
