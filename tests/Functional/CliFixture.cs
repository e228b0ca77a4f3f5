using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The <c>wsorleans</c> CLI's edge: one Embedded-mode edge with an ApiKey in front of three echo backends
/// (a, b, c). Each test owns its pool, so one test's changes never meet another's.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    public const string ApiKey = "cli-test-key-41d7";

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestEdge Edge { get; private set; } = null!;

    /// <summary>Runs <c>wsorleans</c> in-process against <see cref="Edge"/> with the key, as an operator would type it.</summary>
    internal Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync([.. args, "--edge", Edge.ManagementBase.ToString(), "--api-key", ApiKey]);

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(3);
        Edge = await TestEdge.StartAsync(
        [
            new("WsOrleans:Management:ApiKey", ApiKey),
            .. Pool("status", "RoundRobin", "a", "b"),
            .. Pool("add", "RoundRobin", "a"),
            .. Pool("remove", "LeastConnections", "a", "b"),
            .. Pool("drain", "RoundRobin", "a", "b"),
            .. Pool("strategy", "LeastConnections", "a", "b", "c"),
            .. Pool("refusals", "RoundRobin", "a", "b"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Backends.DisposeAsync();
    }

    private IEnumerable<KeyValuePair<string, string?>> Pool(string name, string strategy, params string[] backends) =>
    [
        new($"WsOrleans:Pools:{name}:Path", $"/{name}"),
        new($"WsOrleans:Pools:{name}:Strategy", strategy),
        .. Backends.AsBackendsOf(name, backends),
    ];
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "wsorleans CLI, one edge with an ApiKey";
}
