namespace WsOrleans.Backends;

/// <summary>A backend's health as the cluster knows it.</summary>
public enum BackendHealth
{
    /// <summary>Not probed yet. Routed to, like a healthy backend.</summary>
    Unknown,

    /// <summary>Passing its checks.</summary>
    Healthy,

    /// <summary>Failing its checks; receives no new connections.</summary>
    Unhealthy,
}
