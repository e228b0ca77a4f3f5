using Microsoft.Extensions.Logging;
using WsOrleans.Health;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Backends;

/// <summary>
/// The backend's health: one prober per backend for the whole cluster (this grain's timer, whatever
/// the number of edges), plus the edges' passive reports of failed handshakes, counted together
/// against the pool's thresholds. Every result is pushed to the routing grain, which routes to
/// <see cref="BackendHealth.Unknown"/> and <see cref="BackendHealth.Healthy"/> backends only.
/// </summary>
internal sealed partial class BackendGrain
{
    private readonly HealthTracker _health = new();
    private BackendProbe? _probe;
    private IGrainTimer? _probeTimer;
    private HealthCheckResult? _lastCheck;

    public ValueTask WatchHealth(BackendProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (probe == _probe && _probeTimer is not null)
        {
            return ValueTask.CompletedTask;
        }

        _probe = probe;
        _probeTimer?.Dispose();

        // Interleaving: a probe waits on the network for up to its timeout, and counting must not wait behind it.
        _probeTimer = this.RegisterGrainTimer(
            ProbeAsync,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = probe.HealthCheck.Interval, Interleave = true, KeepAlive = true });
        return ValueTask.CompletedTask;
    }

    public ValueTask ReportFailure(string edgeId, string reason)
    {
        Record(new HealthCheckResult(false, $"edge {edgeId}: {reason}", time.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    public ValueTask ReportSuccess(string edgeId)
    {
        Record(new HealthCheckResult(true, $"edge {edgeId}: handshake ok", time.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    /// <summary>A new address is a new server: what was known about the old one no longer holds.</summary>
    private void ForgetHealth()
    {
        _health.Reset();
        _lastCheck = null;
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (_probe is not { } probe || state.State is not { Settings: { } settings, Retired: false })
        {
            return;
        }

        if (probe.HealthCheck.Mode == HealthCheckMode.None)
        {
            ReturnAfterEjection(probe.HealthCheck);
            return;
        }

        var result = await BackendProbes.RunAsync(settings.Address, probe, time, cancellationToken);

        // The backend may have been moved or re-tuned while the probe was out.
        if (probe == _probe && settings == state.State.Settings)
        {
            Record(result);
        }
    }

    /// <summary>
    /// Without active probes nothing would bring an ejected backend back: as nginx's <c>fail_timeout</c>,
    /// it is routed to again (as <see cref="BackendHealth.Unknown"/>) once Interval × HealthyThreshold has
    /// passed since the last failure.
    /// </summary>
    private void ReturnAfterEjection(HealthCheckSettings check)
    {
        if (_health.Health == BackendHealth.Unhealthy && _lastCheck is { } last
            && time.GetUtcNow() - last.At >= check.Interval * check.HealthyThreshold)
        {
            _health.Reset();
            Log.Returned(logger, this.GetPrimaryKeyString(), check.Interval * check.HealthyThreshold);
            _version++;
            Push();
        }
    }

    private void Record(HealthCheckResult result)
    {
        if (state.State is not { Settings: not null, Retired: false })
        {
            return;
        }

        var before = _health.Health;
        _lastCheck = result;
        if (_health.Record(result.Passed, _probe?.HealthCheck ?? new HealthCheckSettings()))
        {
            Log.HealthChanged(logger, ChangeLevel(before, _health.Health), this.GetPrimaryKeyString(), before, _health.Health, result.Detail);
        }

        _version++;
        Push();
    }

    /// <summary>
    /// How loud a change of health is: a new backend's first passes (unknown to healthy) are routine, every start
    /// makes them; an ejection, and the recovery that ends it, are what an operator watching warnings must see.
    /// </summary>
    internal static LogLevel ChangeLevel(BackendHealth previous, BackendHealth health) =>
        previous == BackendHealth.Unknown && health == BackendHealth.Healthy ? LogLevel.Information : LogLevel.Warning;

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Backends.HealthChanged, Message = "Backend {Backend} is now {Health} (was {Previous}): {Detail}")]
        public static partial void HealthChanged(ILogger logger, LogLevel level, string backend, BackendHealth previous, BackendHealth health, string detail);

        [LoggerMessage(EventId = EventIds.Backends.ReturnedAfterEjection, Level = LogLevel.Information, Message = "Backend {Backend} is routed to again: {Cooldown} since its last failure, and no active checks to wait for")]
        public static partial void Returned(ILogger logger, string backend, TimeSpan cooldown);
    }
}
