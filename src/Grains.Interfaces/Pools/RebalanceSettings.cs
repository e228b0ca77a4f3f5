namespace WsOrleans.Pools;

/// <summary>How a pool moves live connections toward its backends' fair shares.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.rebalance-settings")]
public sealed record class RebalanceSettings
{
    /// <summary>The default tolerance: 0.1.</summary>
    public const double DefaultTolerance = 0.1;

    /// <summary>The default close rate: 50 per second.</summary>
    public const int DefaultMaxClosesPerSecond = 50;

    /// <summary>Whether the pool rebalances by itself. The default is false: only an operator's request starts a round.</summary>
    [Id(0)] public bool Enabled { get; init; }

    /// <summary>
    /// A backend above its weighted fair share by more than this fraction of it starts a round; the round
    /// sheds it down to its share. The default is 0.1.
    /// </summary>
    [Id(1)] public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>The most connections the pool's edges close per second, all together. The default is 50.</summary>
    [Id(2)] public int MaxClosesPerSecond { get; init; } = DefaultMaxClosesPerSecond;
}
