using WsOrleans.Routing;

namespace WsOrleans.Edge.Connections;

/// <summary>
/// The reservations of one numbering an edge has received for one backend: the highest number and the numbers below it
/// still missing. Numbers are given per edge (1, 2, 3, …), but answers come back through different routers and may
/// overtake each other, so a report must name the ones not yet arrived rather than cover everything up to the highest.
/// </summary>
internal sealed class ReservationsReceived(Guid epoch)
{
    /// <summary>
    /// The most missing numbers kept: beyond that the oldest are taken as received. A number missing that long was lost
    /// (the edge gave up on its route and the cluster has stopped counting it), or, for the first number an edge process
    /// sees, given to an earlier process under the same edge id.
    /// </summary>
    internal const int MaxMissing = 256;

    private readonly SortedSet<long> _missing = [];
    private long _highest;

    public Guid Epoch { get; } = epoch;

    public void Receive(long sequence)
    {
        if (sequence <= _highest)
        {
            _missing.Remove(sequence);
            return;
        }

        for (var missing = Math.Max(_highest + 1, sequence - MaxMissing); missing < sequence; missing++)
        {
            _missing.Add(missing);
        }

        _highest = sequence;
        while (_missing.Count > MaxMissing)
        {
            _missing.Remove(_missing.Min);
        }
    }

    public ReceivedReservations ToReport() => new(Epoch, _highest, [.. _missing]);
}
