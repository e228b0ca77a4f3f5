namespace WsOrleans.Backends;

/// <summary>How long a backend grain's counts take to be whole again after they were lost with a silo.</summary>
public sealed class CountRebuildOptions
{
    /// <summary>
    /// The edges' heartbeat interval, the time a silo declared dead takes to learn it (its copies of grains serve until
    /// then) and a second for the reports to arrive: every edge has then reported what it holds. The default fits the
    /// edges' default heartbeat of five seconds and the silos' two-second membership refresh.
    /// </summary>
    public TimeSpan RebuildTime { get; set; } = TimeSpan.FromSeconds(8);
}
