using System.Collections.Immutable;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WsOrleans.Backends;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Forwarding;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Forwarding;

/// <summary>
/// An edge's routing pieces over a cluster that exists only in this test: the pool's router answers each routing call
/// with what the test queued (or holds it until the test completes it), and backend grains record the releases they get.
/// </summary>
internal sealed class FakeCluster
{
    public const string Pool = "chat";

    private readonly ConcurrentQueue<TaskCompletionSource<RouteResult>> _answers = new();

    /// <param name="settings">Configuration pairs; the edge asks the (fake) router for every handshake unless they say otherwise.</param>
    public FakeCluster(params string[] settings)
    {
        Settings = WsOrleansSettings.Load(Configuration.Config.From(["WsOrleans:Edge:RouteLocally=false", .. settings]));
        var grains = GrainStandIn.Create<IGrainFactory>(GetGrain);
        Connections = new EdgeConnections(grains, Settings, TimeProvider.System);
        var degraded = new DegradedRouting(Connections, TimeProvider.System, NullLogger<DegradedRouting>.Instance);
        var refresher = new RouteTableRefresher(new PoolRouteTable(), degraded, grains, Settings, NullLogger<RouteTableRefresher>.Instance);
        var metrics = new EdgeMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        var local = new LocalPoolRouters(grains, TimeProvider.System, NullLogger<CachedPoolRouter>.Instance);
        Router = new BackendRouter(refresher, degraded, local, grains, Connections, metrics, Settings, NullLogger<BackendRouter>.Instance);
        Attempts = new ForwardAttempts(Router, new AffinityCookies(TimeProvider.System), metrics, Settings, NullLogger<ForwardAttempts>.Instance);
    }

    public WsOrleansSettings Settings { get; }

    public EdgeConnections Connections { get; }

    public BackendRouter Router { get; }

    public ForwardAttempts Attempts { get; }

    public PoolRoute Route { get; } = new(Pool, "/chat", Key: null, Version: 1);

    /// <summary>What the edge asked the router, in order.</summary>
    public ConcurrentQueue<RouteRequest> Requests { get; } = new();

    /// <summary>The releases backend grains received: (backend, edge, release number).</summary>
    public ConcurrentQueue<(string Backend, string Edge, long Sequence)> Releases { get; } = new();

    /// <summary>The next routing call is answered with <paramref name="outcome"/> (and the backend, when routed).</summary>
    public void Answer(RouteOutcome outcome, string? backendId = null, ReservationMark? reservation = null) =>
        Hold().SetResult(new RouteResult(outcome, backendId, backendId is null ? null : $"ws://127.0.0.1:1/{backendId}", PoolVersion: 1, reservation));

    /// <summary>The next routing call is answered when the test completes the returned source.</summary>
    public TaskCompletionSource<RouteResult> Hold()
    {
        var answer = new TaskCompletionSource<RouteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers.Enqueue(answer);
        return answer;
    }

    private object GetGrain(MethodInfo method, object?[] args)
    {
        var key = (string)args[0]!;
        if (method.ReturnType == typeof(IPoolRouterGrain))
        {
            return GrainStandIn.Create<IPoolRouterGrain>((called, callArgs) => called.Name switch
            {
                nameof(IPoolRouterGrain.Route) => RouteCalled((RouteRequest)callArgs[0]!),
                _ => throw new NotSupportedException($"The fake router does not answer {called.Name}"),
            });
        }

        if (method.ReturnType == typeof(IBackendGrain))
        {
            return GrainStandIn.Create<IBackendGrain>((called, callArgs) => called.Name switch
            {
                nameof(IBackendGrain.ReleaseNumbered) => Released(key, (string)callArgs[0]!, (ImmutableArray<long>)callArgs[2]!),
                _ => throw new NotSupportedException($"The fake backend grain does not answer {called.Name}"),
            });
        }

        throw new NotSupportedException($"No fake for {method}");
    }

    private ValueTask<RouteResult> RouteCalled(RouteRequest request)
    {
        Requests.Enqueue(request);
        return _answers.TryDequeue(out var answer)
            ? new ValueTask<RouteResult>(answer.Task)
            : throw new InvalidOperationException($"The test queued no answer for routing call {Requests.Count}");
    }

    private ValueTask Released(string backendKey, string edge, ImmutableArray<long> sequences)
    {
        foreach (var sequence in sequences)
        {
            Releases.Enqueue((backendKey, edge, sequence));
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>An interface's implementation that hands every call to one function.</summary>
public class GrainStandIn : DispatchProxy
{
    private Func<MethodInfo, object?[], object?> _calls = null!;

    public static T Create<T>(Func<MethodInfo, object?[], object?> calls)
        where T : class
    {
        var proxy = Create<T, GrainStandIn>();
        ((GrainStandIn)(object)proxy)._calls = calls;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => _calls(targetMethod!, args ?? []);
}
