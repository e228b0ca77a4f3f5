namespace WsOrleans.Balancing;

/// <summary>
/// A backend as a balancing strategy sees it: the routing grain's live snapshot of one member.
/// The routing grain owns and updates it; strategies only read it.
/// </summary>
internal sealed class BackendEntry
{
    public BackendEntry(string id)
    {
        Id = id;
        IdHash = StableHash.Of(id);
    }

    /// <summary>The backend's id, unique in its pool.</summary>
    public string Id { get; }

    /// <summary>A hash of <see cref="Id"/> that is the same in every process, for consistent hashing.</summary>
    public ulong IdHash { get; }

    private int _weight = 1;

    /// <summary>Relative share of connections; at least 1. Setting it ends any slow-start ramp.</summary>
    public int Weight
    {
        get => _weight;
        set
        {
            _weight = value;
            WeightPermille = Math.Max(1, value) * 1000L;
        }
    }

    /// <summary>
    /// The weight new connections are balanced by now, in thousandths: <see cref="Weight"/> × 1000, or
    /// less while the backend is in its slow start (<see cref="Ramp"/>). Least connections and round
    /// robin use it; consistent hashing keeps the full weight, so keys do not move during a ramp.
    /// </summary>
    public long WeightPermille { get; private set; } = 1000;

    /// <summary>Where a slow start begins: a tenth of the weight (Envoy's default minimum), so the backend is tried at once.</summary>
    public const double MinimumRamp = 0.1;

    /// <summary>Scales the weight by <paramref name="factor"/> (0 to 1) for a slow start; 1 ends the ramp.</summary>
    public void Ramp(double factor) =>
        WeightPermille = Math.Max(1, (long)Math.Round(Math.Max(1, _weight) * 1000 * Math.Clamp(factor, 0, 1)));

    /// <summary>
    /// The weight of a slow start begun at <paramref name="started"/>, at <paramref name="now"/>: from
    /// <see cref="MinimumRamp"/> to full over <paramref name="window"/>. False, and the full weight, once it is over.
    /// </summary>
    public bool RampAt(DateTimeOffset started, DateTimeOffset now, TimeSpan window)
    {
        var factor = window > TimeSpan.Zero ? (now - started) / window : 1;
        if (factor >= 1)
        {
            Weight = _weight;
            return false;
        }

        Ramp(Math.Max(MinimumRamp, factor));
        return true;
    }

    /// <summary>Live connections cluster-wide, including reservations not yet counted by the backend grain.</summary>
    public long Live { get; set; }

    public override string ToString() => $"{Id} (weight {WeightPermille / 1000.0}, live {Live})";
}
