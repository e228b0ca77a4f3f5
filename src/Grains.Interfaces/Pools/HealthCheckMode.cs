namespace WsOrleans.Pools;

/// <summary>How a backend is probed.</summary>
public enum HealthCheckMode
{
    /// <summary>No active probes: health comes from passive reports only.</summary>
    None,

    /// <summary>A TCP connect.</summary>
    Tcp,

    /// <summary>An HTTP GET of the check's path; any 2xx is healthy.</summary>
    Http,

    /// <summary>A real WebSocket handshake to the pool's path, then a clean close.</summary>
    WebSocket,
}
