using WsOrleans.Backends;

namespace WsOrleans.Pools;

/// <summary>
/// Slow start (<see cref="PoolSettings.SlowStart"/>): a member that becomes routable (added at run time,
/// undrained, or healthy again) takes new connections with a weight that ramps from a tenth of its own
/// to all of it over the window, as HAProxy's <c>slowstart</c> and Envoy's <c>slow_start_config</c> do,
/// so least connections does not send it every new connection at once.
/// </summary>
internal sealed partial class PoolGrain
{
    private int _ramping;

    private TimeSpan SlowStart => state.State.Settings?.SlowStart ?? TimeSpan.Zero;

    /// <summary>Takes a newer view of <paramref name="member"/>, starting its slow start when it just became routable.</summary>
    private void Apply(PoolMember member, BackendView view)
    {
        var wasRoutable = member.IsRoutable;
        member.Apply(view);
        if (!wasRoutable && member.IsRoutable)
        {
            BeginSlowStart(member);
        }
    }

    /// <summary>A member that joins at run time ramps up, when the pool has a slow start.</summary>
    private void BeginSlowStart(PoolMember member)
    {
        if (SlowStart > TimeSpan.Zero && member.IsRoutable)
        {
            member.StartRamp(time.GetUtcNow());
            _ramping++;
        }
    }

    /// <summary>Brings ramping members' weights up to now; costs nothing while none ramps.</summary>
    private void UpdateRamps()
    {
        if (_ramping == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var stillRamping = 0;
        foreach (var member in _members)
        {
            stillRamping += member.UpdateRamp(now, SlowStart) ? 1 : 0;
        }

        _ramping = stillRamping;
    }
}
