using WsOrleans.Backends;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>
/// A backend's health from consecutive results, as HAProxy's <c>rise</c>/<c>fall</c>:
/// <see cref="HealthCheckSettings.UnhealthyThreshold"/> failures in a row make it
/// <see cref="BackendHealth.Unhealthy"/>, <see cref="HealthCheckSettings.HealthyThreshold"/> passes in a
/// row make it <see cref="BackendHealth.Healthy"/>; it starts <see cref="BackendHealth.Unknown"/>.
/// Active probes and edges' passive reports count alike.
/// </summary>
internal sealed class HealthTracker
{
    private int _passes;

    public BackendHealth Health { get; private set; } = BackendHealth.Unknown;

    public int ConsecutiveFailures { get; private set; }

    /// <summary>Counts one result; returns true when it changed <see cref="Health"/>.</summary>
    public bool Record(bool passed, HealthCheckSettings check)
    {
        var before = Health;
        if (passed)
        {
            ConsecutiveFailures = 0;
            _passes++;
            if (_passes >= check.HealthyThreshold)
            {
                Health = BackendHealth.Healthy;
            }
        }
        else
        {
            _passes = 0;
            ConsecutiveFailures++;
            if (ConsecutiveFailures >= check.UnhealthyThreshold)
            {
                Health = BackendHealth.Unhealthy;
            }
        }

        return Health != before;
    }

    /// <summary>Forgets everything: the backend is <see cref="BackendHealth.Unknown"/> again (a new address, or a passive ejection that has run its time).</summary>
    public void Reset()
    {
        Health = BackendHealth.Unknown;
        ConsecutiveFailures = 0;
        _passes = 0;
    }
}
