using System.Collections.Immutable;
using WsOrleans.Backends;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Connections;

/// <summary>This edge's live connections to one backend, and the backend grain that counts them cluster-wide.</summary>
internal sealed class BackendConnections(string pool, string backendId, IBackendGrain grain, Coalescer<long> releases)
{
    // Numberings of reservations remembered, the most recently used kept: usually one per router this edge's calls reach
    // (a router numbers what it admits on its own) and the backend grain's (what it admits itself, when capped), more
    // just after a new one began (a router or backend grain activated again, the edge's calls moved to another gateway,
    // its ledger of this edge lapsed, or a Sticky pool's member made anew).
    internal const int RememberedEpochs = 8;

    // Count, release numbers and the reservations seen change together, so a report reads a
    // consistent snapshot of them (docs/accounting.md).
    private readonly Lock _lock = new();
    // Least recently received first.
    private readonly List<ReservationsReceived> _seen = new(RememberedEpochs);
    private long _live;
    private int _failed;
    private long _released;
    private long _countedByCluster;

    public string Pool { get; } = pool;

    public string BackendId { get; } = backendId;

    public IBackendGrain Grain { get; } = grain;

    /// <summary>Sends the numbers of the releases to <see cref="Grain"/>.</summary>
    public Coalescer<long> Releases { get; } = releases;

    /// <summary>Counts a connection, with the reservation the routing grain made for it.</summary>
    public void Increment(ReservationMark? reservation)
    {
        lock (_lock)
        {
            _live++;
            if (reservation is { } mark)
            {
                See(mark);
            }
        }
    }

    /// <summary>
    /// Notes a reservation whose connection was never opened here (its answer came after the edge gave up on it): the
    /// next report names it as received and does not count it, so the backend grain stops counting it.
    /// </summary>
    public void Forgo(ReservationMark reservation)
    {
        lock (_lock)
        {
            See(reservation);
        }
    }

    /// <summary>
    /// Stops counting a connection; returns the number of this release. <paramref name="sent"/>: the release is sent
    /// to the backend grain now (otherwise the next report carries it).
    /// </summary>
    public long Decrement(bool sent)
    {
        lock (_lock)
        {
            _live--;
            if (sent && _countedByCluster > 0)
            {
                _countedByCluster--;
            }

            return ++_released;
        }
    }

    /// <summary>What this edge knows now: its count, its releases so far and the reservations it has received.</summary>
    public (long Live, long Released, ImmutableArray<ReceivedReservations> Seen) Snapshot()
    {
        lock (_lock)
        {
            return (_live, _released, [.. _seen.Select(s => s.ToReport())]);
        }
    }

    private void See(ReservationMark mark)
    {
        var index = _seen.FindIndex(seen => seen.Epoch == mark.Epoch);
        ReservationsReceived received;
        if (index >= 0)
        {
            received = _seen[index];
            _seen.RemoveAt(index);
        }
        else
        {
            if (_seen.Count == RememberedEpochs)
            {
                _seen.RemoveAt(0);
            }

            received = new ReservationsReceived(mark.Epoch);
        }

        received.Receive(mark.Sequence);
        _seen.Add(received);
    }

    /// <summary>Live connections now.</summary>
    public long Live => Interlocked.Read(ref _live);

    /// <summary>
    /// How many connections the cluster counts for this edge on this backend at least: the count of the last report
    /// it acknowledged, less each release sent since (any of them may have reached it). A degraded edge may hold this
    /// many on a capped backend without the cap being exceeded, as long as it sends no releases meanwhile.
    /// </summary>
    public long CountedByCluster
    {
        get
        {
            lock (_lock)
            {
                return _countedByCluster;
            }
        }
    }

    /// <summary>A heartbeat carrying the report of <paramref name="live"/> connections reached the cluster.</summary>
    public void Reported(long live)
    {
        lock (_lock)
        {
            // A release sent after the report was made lowered the live count too.
            _countedByCluster = Math.Min(live, _live);
        }
    }

    /// <summary>Notes that this edge reported a failure of the backend.</summary>
    public void MarkFailed() => Volatile.Write(ref _failed, 1);

    /// <summary>Whether a failure was reported since the last call: a success must then be reported too, to reset the count.</summary>
    public bool TakeFailed() => Volatile.Read(ref _failed) == 1 && Interlocked.Exchange(ref _failed, 0) == 1;
}
