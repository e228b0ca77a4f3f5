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

    /// <summary>Relative share of connections; at least 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Live connections cluster-wide, including reservations not yet counted by the backend grain.</summary>
    public long Live { get; set; }

    public override string ToString() => $"{Id} (weight {Weight}, live {Live})";
}
