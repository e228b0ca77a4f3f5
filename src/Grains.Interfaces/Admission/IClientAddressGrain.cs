namespace WsOrleans.Admission;

/// <summary>
/// The live connections of one client address to one pool, per edge, so a per-address cap holds across
/// every edge. Keyed <c>pool/address</c> (<see cref="ClientAddressKey"/>); called only when the pool sets a cap.
/// </summary>
[Alias("wsorleans.client-address")]
public interface IClientAddressGrain : IGrainWithStringKey
{
    /// <summary>Counts one more connection for <paramref name="edgeId"/> unless the address already holds <paramref name="limit"/>.</summary>
    [Alias("acquire")]
    ValueTask<bool> Acquire(string edgeId, int limit);

    /// <summary>One connection of <paramref name="edgeId"/> ended.</summary>
    [OneWay, Alias("release")]
    ValueTask Release(string edgeId);

    /// <summary>The address's live connections on all edges.</summary>
    [ReadOnly, Alias("count")]
    ValueTask<int> Count();
}
