using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Backends;
using WsOrleans.Pools;
using WsOrleans.Routing;
using WsOrleans.Tests.Unit.Forwarding;

namespace WsOrleans.Tests.Unit.Routing;

/// <summary>How an edge's (or a router's) cached view of its pool is read, over reads the test answers itself.</summary>
public sealed class CachedPoolRouterTests
{
    private readonly List<(int KnownVersion, TaskCompletionSource<RouterView> Answer)> _reads = [];

    /// <summary>
    /// A read abandoned as lost (its silo cut off) may still answer, after the read that replaced it: its view is the
    /// older, and routing goes on by the newer one.
    /// </summary>
    [Fact]
    public async Task AbandonedReadAnsweringAfterANewerOne_DoesNotReplaceIt()
    {
        var router = Router(abandonAfter: TimeSpan.Zero);
        var first = router.RouteAsync(new RouteRequest("edge-1", null)).AsTask();
        WaitForTheClockToMove();
        var second = router.RouteAsync(new RouteRequest("edge-1", null)).AsTask();
        Assert.Equal(2, _reads.Count);

        _reads[1].Answer.SetResult(new RouterView(Routing(version: 2, "b2"), TimeSpan.Zero));
        Assert.Equal(("b2", 2), Picked(await Within(second)));

        // The handshake that waited on the abandoned read is routed by the newer view once that read answers.
        _reads[0].Answer.SetResult(new RouterView(Routing(version: 1, "b1"), TimeSpan.Zero));
        Assert.Equal(("b2", 2), Picked(await Within(first)));
    }

    /// <summary>The view's age counts from the router's read of the pool grain, not from when this copy arrived.</summary>
    [Fact]
    public async Task ViewOlderThanStaleAfterWhenItArrives_TheNextHandshakeReadsAgain()
    {
        var router = Router(abandonAfter: TimeSpan.FromHours(1));
        var first = router.RouteAsync(new RouteRequest("edge-1", null)).AsTask();
        _reads[0].Answer.SetResult(new RouterView(Routing(version: 1, "b1"), CachedPoolRouter.StaleAfter));
        Assert.Equal(("b1", 1), Picked(await Within(first)));

        var second = router.RouteAsync(new RouteRequest("edge-1", null)).AsTask();

        Assert.Equal(2, _reads.Count);
        Assert.False(second.IsCompleted);
        _reads[1].Answer.SetResult(new RouterView(Routing(version: 2, "b2"), TimeSpan.Zero));
        Assert.Equal(("b2", 2), Picked(await Within(second)));
    }

    private CachedPoolRouter Router(TimeSpan abandonAfter)
    {
        // Counts of what was admitted go to backend grains that never answer: this test is about the view.
        var grains = GrainStandIn.Create<IGrainFactory>((_, _) => GrainStandIn.Create<IBackendGrain>((_, _) => new ValueTask<BackendView>(new TaskCompletionSource<BackendView>().Task)));
        return new CachedPoolRouter(grains, Read, new HashSet<string>(), _ => throw new InvalidOperationException("nothing is routed elsewhere"),
            TimeSpan.FromMilliseconds(10), TimeProvider.System, NullLogger.Instance, abandonAfter);
    }

    private Task<RouterView> Read(int knownVersion)
    {
        var answer = new TaskCompletionSource<RouterView>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reads.Add((knownVersion, answer));
        return answer.Task;
    }

    /// <summary>A route the test's answers should complete; a bug that leaves it waiting fails the test instead of hanging the run.</summary>
    private static Task<RouteResult> Within(Task<RouteResult> route) => route.WaitAsync(TimeSpan.FromSeconds(30));

    private static (string?, int) Picked(RouteResult route) => (route.BackendId, route.PoolVersion);

    private static PoolRouting Routing(int version, string backendId)
    {
        var settings = new PoolSettings { Name = "chat", Path = "/chat", Strategy = StrategyNames.LeastConnections };
        var backend = new BackendSettings { Id = backendId, Address = $"ws://127.0.0.1:1/{backendId}" };
        var view = new BackendView(backend, BackendHealth.Healthy, BackendAdminState.Active, 0, 0, Guid.Empty, 0, 1, 1);
        return new PoolRouting(settings, version, ImmutableArray.Create(new RoutingMember(view, null)));
    }

    private static void WaitForTheClockToMove()
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() == started)
        {
        }
    }
}
