using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>What routers read (<see cref="IPoolGrain.GetRouting"/>): the settings, the version and every member's last view.</summary>
internal sealed partial class PoolGrain
{
    /// <summary>Margin for timers that fire a little early against the clock routers age their views by.</summary>
    private static readonly TimeSpan TimerMargin = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Waits out the routers' views after a change that stops or limits admissions (a drain, a removal, a new cap or
    /// address): a router (a silo's, or an edge routing by itself) routes by a view at most
    /// <see cref="CachedPoolRouter.StaleAfter"/> old, counted from when its read of this grain began (an edge's copy of
    /// a silo router's view ages from that router's read), and admits connections to an uncapped backend by its view
    /// alone. So once this returns, every router routes by a view that has the change, and an admin change is answered
    /// only then. Routers' reads wait meanwhile (a router whose view grows stale in that time holds its handshakes until
    /// the wait ends, once per admin change) and then see the change. Real time, as the routers' ages are.
    /// </summary>
    private static Task RoutersCaughtUpAsync() => Task.Delay(CachedPoolRouter.StaleAfter + TimerMargin);

    public ValueTask<PoolRouting?> GetRouting() => ValueTask.FromResult(
        state.State.Settings is { } settings
            ? new PoolRouting(settings, state.State.Version, [.. _members.Select(m => new RoutingMember(m.View, m.RampStarted))])
            : null);
}
