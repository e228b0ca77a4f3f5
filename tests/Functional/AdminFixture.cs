using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The admin API in the shared-state deployment: one Localhost-mode silo holding the pools, two edges
/// with an ApiKey joining it as clients, three echo backends (a, b, c). Each test owns its pool, so
/// one test's changes never meet another's.
/// </summary>
public sealed class AdminFixture : IAsyncLifetime
{
    public const string ApiKey = "test-admin-key-8c1f";

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestSilo Silo { get; private set; } = null!;

    internal TestEdge First { get; private set; } = null!;

    internal TestEdge Second { get; private set; } = null!;

    /// <summary>The silo's <c>Pools</c> section; an edge given it too seeds nothing new.</summary>
    internal IReadOnlyList<KeyValuePair<string, string?>> Pools { get; private set; } = [];

    internal AdminClient AdminOf(TestEdge edge, string? apiKey = ApiKey) => new(edge.ManagementBase, apiKey);

    /// <summary>Configuration for another edge of this cluster, with the ApiKey.</summary>
    internal IEnumerable<KeyValuePair<string, string?>> EdgeConfiguration =>
        [.. Silo.ClientConfiguration, new("WsOrleans:Management:ApiKey", ApiKey)];

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(3);
        Pools =
        [
            .. Pool("reads", "RoundRobin", "a", "b"),
            .. Pool("refusals", "RoundRobin", "a", "b"),
            .. Pool("upsert", "RoundRobin", "a"),
            .. Pool("drain", "LeastConnections", "a", "b", "c"),
            .. Pool("remove", "RoundRobin", "a", "b"),
            .. Pool("strategy", "LeastConnections", "a", "b", "c"),
            .. Pool("restart", "RoundRobin", "a", "b"),
            .. Pool("fuzz", "RoundRobin", "a", "b"),
            .. Pool("cookies", "LeastConnections", "a", "b", "c"),
        ];
        Silo = await TestSilo.StartAsync(Pools);
        First = await TestEdge.StartAsync(EdgeConfiguration);
        Second = await TestEdge.StartAsync(EdgeConfiguration);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Backends.DisposeAsync();
    }

    private IEnumerable<KeyValuePair<string, string?>> Pool(string name, string strategy, params string[] backends) =>
    [
        new($"WsOrleans:Pools:{name}:Path", $"/{name}"),
        new($"WsOrleans:Pools:{name}:Strategy", strategy),

        // No probes: their results would change what the tests read between two reads of a pool.
        new($"WsOrleans:Pools:{name}:HealthCheck:Mode", "None"),
        .. Backends.AsBackendsOf(name, backends),
    ];
}

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminFixture>
{
    public const string Name = "admin API, two edges, one silo";
}
