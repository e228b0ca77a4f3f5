using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// Owns its cluster: it kills the silo of one backend's grain while handshakes stream through the routers, or are
/// routed by the edge itself (as edges do by default), the capped backend's (which is asked first) or the uncapped
/// one's (which is admitted alone and counted there afterwards).
/// </summary>
public sealed class PoolRouterSiloFailureTests
{
    private const int Cap = 20;
    private const string Edge = "edge-1";

    [Theory]
    [InlineData("b1", false)]
    [InlineData("b2", false)]
    [InlineData("b1", true)]
    [InlineData("b2", true)]
    public async Task SiloOfABackendKilledMidBurst_TheCapIsNeverExceeded_AndTheCountsReconverge(string killed, bool edgeRoutes)
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var pool = Pools.Define(StrategyNames.LeastConnections, 0).WithBackends(Pools.Backend("b1", 5001, Cap), Pools.Backend("b2", 5002));
        var name = pool.Settings.Name;
        await cluster.Client.GetGrain<IPoolGrain>(name).Seed(pool);

        // b1 is capped, b2 is not. The killed backend's grain on the silo about to die; the other's, and the pool grain
        // the test reads the counts from, on the one that stays (the primary, which the test cluster's membership needs):
        // a call on its way to a silo as it dies waits out the whole response timeout (30 s).
        var victim = cluster.Silos[1];
        var survivor = cluster.Silos[0];
        await PlaceAsync(cluster, cluster.Client.GetGrain<IPoolGrain>(name), survivor.SiloAddress, "the pool grain");
        foreach (var backend in (string[])["b1", "b2"])
        {
            var grain = cluster.Client.GetGrain<IBackendGrain>(BackendKey.Format(name, backend));
            await grain.GetView();
            await PlaceAsync(cluster, grain, (backend == killed ? victim : survivor).SiloAddress, $"{backend}'s grain");
        }

        var edge = new EdgeBook(cluster.Client, name);
        using var stop = new CancellationTokenSource();
        var heartbeat = edge.HeartbeatAsync(stop.Token);
        var router = cluster.Client.GetGrain<IPoolRouterGrain>(name);
        Func<RouteRequest, ValueTask<RouteResult>> route = edgeRoutes
            ? CachedPoolRouter.ForEdge(router, cluster.Client, TimeProvider.System, NullLogger.Instance).RouteAsync
            : router.Route;
        var callers = Enumerable.Range(0, 8).Select(_ => RouteUntilAsync(route, edge, stop.Token)).ToList();

        // b1's grain, moved, rebuilds its counts first (CountRebuildOptions): it takes nothing until then.
        await Eventually.Until(() => Task.FromResult(edge.Held("b1")), held => held >= Cap / 2, "half of b1's cap taken before the kill", TimeSpan.FromSeconds(60));
        await cluster.KillSiloAsync(victim);
        var afterKill = edge.Routed;
        await Eventually.Until(
            async () => (await cluster.Client.Backends(name)).Single(b => b.Id == killed).CountsRebuilding,
            rebuilding => rebuilding,
            $"the status to say {killed}'s counts are being rebuilt",
            TimeSpan.FromSeconds(30));
        await Eventually.Until(() => Task.FromResult(edge.Routed - afterKill), n => n >= 200, "200 handshakes routed after the kill", TimeSpan.FromSeconds(60));
        await Eventually.Until(() => Task.FromResult(edge.Held("b1")), held => held >= Cap, "b1 full again once its counts were rebuilt", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(callers);
        await heartbeat;

        // No connection was ever released, so what b1 was given is what it holds: never more than its cap.
        Assert.Equal(Cap, edge.Held("b1"));
        await edge.ReportAsync();
        await Eventually.Until(
            () => cluster.Client.Backends(name),
            backends => backends.All(b => b.Connections == edge.Held(b.Id) && !b.CountsRebuilding),
            $"the pool to count what the edge holds (b1 {edge.Held("b1")}, b2 {edge.Held("b2")})",
            TimeSpan.FromSeconds(30));
    }

    private static async Task RouteUntilAsync(Func<RouteRequest, ValueTask<RouteResult>> route, EdgeBook edge, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Awaited to the end, as an edge does (one that gives up releases what the call reserves late).
                var routed = await route(new RouteRequest(Edge, null));
                if (routed.Outcome == RouteOutcome.Routed)
                {
                    edge.Opened(routed.BackendId!, routed.Reservation!.Value);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The silo died under the call: as an edge, try the next handshake.
            }
        }
    }

    private static async Task PlaceAsync(Orleans.TestingHost.InProcessTestCluster cluster, IGrainWithStringKey grain, SiloAddress silo, string what)
    {
        if (!silo.Equals(SiloOf(cluster, grain)))
        {
            await cluster.MigrateAsync(grain, silo).WaitAsync(TimeSpan.FromSeconds(30));
            await Eventually.Until(() => Task.FromResult(SiloOf(cluster, grain)), at => silo.Equals(at), $"{what} on silo {silo}");
        }
    }

    private static SiloAddress? SiloOf(Orleans.TestingHost.InProcessTestCluster cluster, IGrainWithStringKey grain) =>
        cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;

    /// <summary>What one edge holds, and its heartbeat reports of it, as the edge's own books (docs/accounting.md).</summary>
    private sealed class EdgeBook(IGrainFactory grains, string pool)
    {
        // Read together under the lock, as an edge does: a report must not cover a reservation its count lacks.
        private readonly Lock _lock = new();
        private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
        // The reservation numbers received, per backend and numbering: they are per edge, so those below the highest not received are still on their way.
        private readonly Dictionary<(string Backend, Guid Epoch), SortedSet<long>> _seen = [];
        private readonly Guid _instance = Guid.NewGuid();
        private long _routed;
        private long _sequence;

        public long Routed => Interlocked.Read(ref _routed);

        public int Held(string backend)
        {
            lock (_lock)
            {
                return _held.GetValueOrDefault(backend);
            }
        }

        public void Opened(string backend, ReservationMark mark)
        {
            lock (_lock)
            {
                _held[backend] = _held.GetValueOrDefault(backend) + 1;
                (_seen.TryGetValue((backend, mark.Epoch), out var received) ? received : _seen[(backend, mark.Epoch)] = []).Add(mark.Sequence);
            }

            Interlocked.Increment(ref _routed);
        }

        public async Task HeartbeatAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await ReportAsync();
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        private static ReceivedReservations Received(Guid epoch, SortedSet<long> received) =>
            new(epoch, received.Max, [.. Enumerable.Range(1, (int)received.Max).Select(n => (long)n).Where(n => !received.Contains(n))]);

        public async Task ReportAsync()
        {
            var sequence = Interlocked.Increment(ref _sequence);
            foreach (var backend in (string[])["b1", "b2"])
            {
                EdgeReport report;
                lock (_lock)
                {
                    ImmutableArray<ReceivedReservations> seen = [.. _seen.Where(s => s.Key.Backend == backend).Select(s => Received(s.Key.Epoch, s.Value))];
                    report = new EdgeReport(Edge, _instance, sequence, TimeSpan.FromMinutes(1), _held.GetValueOrDefault(backend), 0, seen, TimeSpan.FromSeconds(1));
                }

                try
                {
                    await grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, backend)).Report(report).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A report lost with the silo: the next heartbeat's makes up for it.
                }
            }
        }
    }
}
