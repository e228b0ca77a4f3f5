using Orleans.TestingHost;

namespace WsOrleans.Tests.Grains;

/// <summary>One two-silo cluster shared by the tests that do not change its topology.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster";
}

/// <summary>
/// A cluster of its own for run-time admin changes (they deactivate grains and fill the silos), so
/// the routing tests keep seeing the placement they always did.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AdminClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster for admin changes";
}
