namespace WsOrleans.Backends;

/// <summary>How long a backend grain's counts take to be whole again after they were lost with a silo.</summary>
public sealed class CountRebuildOptions
{
    /// <summary>
    /// The edges' heartbeat interval and a second for their reports to arrive: every edge has then reported what it
    /// holds. The default fits the edges' default heartbeat of five seconds.
    /// </summary>
    public TimeSpan RebuildTime { get; set; } = TimeSpan.FromSeconds(6);
}
