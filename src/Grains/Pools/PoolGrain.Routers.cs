namespace WsOrleans.Pools;

/// <summary>What routers read (<see cref="IPoolGrain.GetRouting"/>): the settings, the version and every member's last view.</summary>
internal sealed partial class PoolGrain
{
    public ValueTask<PoolRouting?> GetRouting() => ValueTask.FromResult(
        state.State.Settings is { } settings
            ? new PoolRouting(settings, state.State.Version, [.. _members.Select(m => new RoutingMember(m.View, m.RampStarted))])
            : null);
}
