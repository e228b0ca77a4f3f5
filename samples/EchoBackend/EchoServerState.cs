namespace WsOrleans.EchoBackend;

/// <summary>
/// What the request handler and the public <see cref="EchoServer"/> share: the id, the live counts and the
/// handshake switch.
/// </summary>
internal sealed class EchoServerState(string id, bool rejectHandshakes)
{
    private int _openConnections;
    private int _peakConnections;
    private long _totalConnections;
    private int _httpInFlight;
    private long _httpRequests;
    private volatile bool _rejectHandshakes = rejectHandshakes;

    public string Id { get; } = id;

    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>The most sessions open at once since the server started (or since <see cref="ResetPeak"/>).</summary>
    public int PeakConnections => Volatile.Read(ref _peakConnections);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    public int HttpInFlight => Volatile.Read(ref _httpInFlight);

    public long HttpRequests => Interlocked.Read(ref _httpRequests);

    public bool RejectHandshakes
    {
        get => _rejectHandshakes;
        set => _rejectHandshakes = value;
    }

    /// <summary>Counts an accepted session; release the returned lease once when the session is over.</summary>
    public SessionLease OpenSession()
    {
        Interlocked.Increment(ref _totalConnections);
        var open = Interlocked.Increment(ref _openConnections);
        int peak;
        while (open > (peak = Volatile.Read(ref _peakConnections)) && Interlocked.CompareExchange(ref _peakConnections, open, peak) != peak)
        {
        }

        return new SessionLease(this);
    }

    /// <summary>Starts the peak again from the sessions open now.</summary>
    public void ResetPeak() => Volatile.Write(ref _peakConnections, OpenConnections);

    /// <summary>Counts a plain HTTP request; dispose the returned scope when it is answered.</summary>
    public RequestScope OpenRequest()
    {
        Interlocked.Increment(ref _httpRequests);
        Interlocked.Increment(ref _httpInFlight);
        return new RequestScope(this);
    }

    /// <summary>A plain HTTP request in flight.</summary>
    internal readonly struct RequestScope(EchoServerState state) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref state._httpInFlight);
    }

    /// <summary>Takes one session off the open count; releasing twice counts once.</summary>
    internal sealed class SessionLease(EchoServerState state)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref state._openConnections);
            }
        }
    }
}
