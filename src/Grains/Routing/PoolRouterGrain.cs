using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using WsOrleans.Pools;

namespace WsOrleans.Routing;

/// <inheritdoc cref="IPoolRouterGrain"/>
/// <remarks>
/// Routes by a <see cref="CachedPoolRouter"/> whose view comes from the pool grain, which has the backends' counts at
/// most 5 ms late. Reentrant: while one handshake waits for a capped backend grain's answer, the next is routed. The
/// pool grain never holds a router's call open: a watch that waited there would hold every other call to it (it is not
/// reentrant).
/// </remarks>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
internal sealed class PoolRouterGrain : Grain, IPoolRouterGrain
{
    /// <summary>How old the view may get before a handshake reads it again in the background, and an edge's read waits for a new one.</summary>
    internal static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(5);

    // The pool grain holds Sticky pools' bindings: one table, whichever edge and silo a session's requests arrive at.
    private static readonly FrozenSet<string> RoutedByThePoolGrain = [StrategyNames.Sticky];

    private readonly CachedPoolRouter _router;

    public PoolRouterGrain(IGrainFactory grains, TimeProvider time, ILogger<CachedPoolRouter> logger) =>
        _router = new CachedPoolRouter(grains, ReadPoolAsync, RoutedByThePoolGrain, request => Pool.Route(request), ReadInterval, time, logger);

    private IPoolGrain Pool => GrainFactory.GetGrain<IPoolGrain>(this.GetPrimaryKeyString());

    public ValueTask<RouteResult> Route(RouteRequest request) => _router.RouteAsync(request);

    public ValueTask<RouterView> GetView(int knownVersion) => _router.ViewAsync(knownVersion);

    private async Task<RouterView> ReadPoolAsync(int knownVersion) => new(await Pool.GetRouting(), TimeSpan.Zero);
}
