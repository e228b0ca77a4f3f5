namespace WsOrleans.Rebalancing;

/// <summary>
/// One routable backend against its fair share of a pool's live connections: <see cref="Share"/> is the
/// pool's total times its (ramped) weight over all weights; <see cref="Excess"/> is how many it holds
/// above the share rounded up, the most a round may close without pushing it below its share.
/// </summary>
internal sealed record class BackendShare(string Id, long Live, double Share, long Excess)
{
    /// <summary>Whether it holds more than its share by more than <paramref name="tolerance"/> of it (and something can be closed).</summary>
    public bool IsAbove(double tolerance) => Excess > 0 && Live > Share * (1 + tolerance);
}
