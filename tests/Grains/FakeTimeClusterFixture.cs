using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// A two-silo cluster whose grains read <see cref="Time"/>, for tests about leases and expiry: they advance the
/// clock instead of waiting. Grain timers follow it too (Orleans drives them from the grains' clock), so a timer
/// fires only when a test advances time. The clock only moves forward and is shared by the collection's tests.
/// </summary>
public sealed class FakeTimeClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(2, Time);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FakeTimeClusterCollection : ICollectionFixture<FakeTimeClusterFixture>
{
    public const string Name = "two-silo cluster on a fake clock";
}
