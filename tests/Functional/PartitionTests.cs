using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// A real Redis-mode cluster, one network namespace per host, cut in the four ways a network fails it (see
/// <see cref="PartitionScenario"/>): under that load no client sees a failed handshake, no tunnel is lost, a
/// capped backend never goes over its cap, and the cluster counts exactly again soon after the heal.
/// </summary>
[Collection(PartitionBedFixture.Name)]
public sealed class PartitionTests(PartitionBedFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan ExactWithin = TimeSpan.FromSeconds(30);

    private PartitionBed Bed => fixture.Bed;

    [Fact]
    public async Task SiloCutOff_AndHealed_NoClientSeesIt()
    {
        var silo = Bed.Silos[0];
        var outcome = await PartitionScenario.RunAsync(
            Bed,
            Bed.Edges[1],
            async () =>
            {
                await Bed.Network.CutAsync(silo.Host, cluster: true);
                await Bed.Network.CutAsync(silo.Host, cluster: false);
            },
            async () =>
            {
                await Bed.Network.HealAsync(silo.Host, cluster: true);
                await Bed.Network.HealAsync(silo.Host, cluster: false);
            },
            output.WriteLine);

        AssertNoClientSawIt(outcome);
    }

    [Fact]
    public async Task SilosCutFromEachOther_BothStillReachRedisAndTheEdges_NoClientSeesIt()
    {
        var (silo, other) = (Bed.Silos[0], Bed.Silos[1]);
        var outcome = await PartitionScenario.RunAsync(
            Bed,
            Bed.Edges[1],
            () => Bed.Network.BlockAsync(silo.Host, other.Host.ClusterAddress!),
            () => Bed.Network.UnblockAsync(silo.Host),
            output.WriteLine);

        AssertNoClientSawIt(outcome);
    }

    [Fact]
    public async Task EdgeCutFromTheCluster_ItsClientsAndBackendsStillReachIt_ItKeepsServingAndStaysCounted()
    {
        var edge = Bed.Edges[0];
        var outcome = await PartitionScenario.RunAsync(
            Bed,
            Bed.Edges[1],
            () => Bed.Network.CutAsync(edge.Host, cluster: true),
            () => Bed.Network.HealAsync(edge.Host, cluster: true),
            output.WriteLine);

        AssertNoClientSawIt(outcome);
        Assert.True(outcome.ByEdgeDuring.GetValueOrDefault(edge.Id) > 0, $"edge {edge.Id} served no handshake during its cut: {outcome}");
        Assert.All(outcome.CountedDuringCut, counted => Assert.Equal(PartitionScenario.Holders, counted));
    }

    [Fact]
    public async Task RedisCutOff_NoClientSeesIt()
    {
        var outcome = await PartitionScenario.RunAsync(
            Bed,
            Bed.Edges[1],
            () => Bed.Network.CutAsync(Bed.Redis, cluster: true),
            () => Bed.Network.HealAsync(Bed.Redis, cluster: true),
            output.WriteLine);

        AssertNoClientSawIt(outcome);
    }

    private static void AssertNoClientSawIt(PartitionOutcome outcome)
    {
        Assert.True(outcome.HandshakesDuring > 0, outcome.ToString());
        Assert.True(outcome.FailedDuring.Count == 0, $"handshakes failed: {outcome}");
        Assert.True(outcome.Lost.Count == 0, $"tunnels lost: {outcome}");
        Assert.True(outcome.CappedPeak <= PartitionBed.Cap, $"the capped backend went over its cap: {outcome}");
        Assert.True(outcome.ExactAfterHeal <= ExactWithin, $"counts took longer than {ExactWithin.TotalSeconds} s to be exact: {outcome}");
    }
}

/// <summary>One bed for the partition scenarios, run alone: cuts measured on a busy machine would measure the machine.</summary>
public sealed class PartitionBedFixture : IAsyncLifetime
{
    public const string Name = "partitions";

    private PartitionBed? _bed;

    internal PartitionBed Bed => _bed ?? throw new InvalidOperationException("The bed did not start.");

    public async Task InitializeAsync() => _bed = await PartitionBed.StartAsync();

    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}

[CollectionDefinition(PartitionBedFixture.Name, DisableParallelization = true)]
public sealed class PartitionBedCollection : ICollectionFixture<PartitionBedFixture>;
