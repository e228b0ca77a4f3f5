using WsOrleans.Backends;

namespace WsOrleans.Pools;

/// <summary>
/// The routing grain keeps its members' backend grains probing: it sends them the pool's health-check
/// settings on activation and on every change, and again every few seconds, which re-activates a
/// backend grain whose silo died (and with it, its prober).
/// </summary>
internal sealed partial class PoolGrain
{
    private static readonly TimeSpan HealthWatchPeriod = TimeSpan.FromSeconds(5);

    private IGrainTimer? _healthWatch;

    private void WatchHealth()
    {
        if (state.State.Settings is not { } settings)
        {
            return;
        }

        var probe = new BackendProbe(settings.HealthCheck, settings.Path, settings.BackendTls);
        foreach (var member in _members)
        {
            member.Grain.WatchHealth(probe).Forget();
        }

        _healthWatch ??= this.RegisterGrainTimer(
            () =>
            {
                WatchHealth();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions { DueTime = HealthWatchPeriod, Period = HealthWatchPeriod, KeepAlive = true });
    }

    /// <summary>Whether <paramref name="member"/> is one the handshake already failed on.</summary>
    private static bool IsExcluded(PoolMember member, string[]? excluded) =>
        excluded is not null && Array.IndexOf(excluded, member.Id) >= 0;
}
