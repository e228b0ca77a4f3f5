using System.Collections.Concurrent;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Connections;

/// <summary>
/// The connections this edge carries, per backend. A connection is counted from the moment it was admitted (by this
/// edge, a silo's router or the backend grain) until its tunnel ends, when the backend grain is told one-way (with the
/// others that ended in the same millisecond): the data path never waits on the cluster. The heartbeat re-reports these
/// counts as the truth.
/// </summary>
internal sealed class EdgeConnections(IGrainFactory grains, WsOrleansSettings settings, TimeProvider time)
{
    /// <summary>How often at most an edge tells one backend grain of the connections that ended.</summary>
    internal static readonly TimeSpan ReleaseInterval = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentDictionary<(string Pool, string BackendId), BackendConnections> _backends = new();
    private readonly ConcurrentDictionary<string, byte> _releasesHeld = new(StringComparer.Ordinal);

    public string EdgeId { get; } = settings.Edge.Id;

    /// <summary>This edge process, in its releases and reports: another process under the same id numbers its releases anew.</summary>
    public Guid Instance { get; } = Guid.NewGuid();

    /// <summary>Every backend this edge has carried connections to.</summary>
    public ICollection<BackendConnections> Backends => _backends.Values;

    /// <summary>Raised when the edge carries a connection to a backend for the first time, so the heartbeat reports it soon.</summary>
    public event Action? BackendAdded;

    /// <summary>This edge's connections to one backend, or null when it never carried any.</summary>
    public BackendConnections? Find(string pool, string backendId) => _backends.GetValueOrDefault((pool, backendId));

    /// <summary>Counts a connection admitted for this edge, with the number it was admitted under (<paramref name="reservation"/>).</summary>
    public BackendConnections Open(string pool, string backendId, ReservationMark? reservation)
    {
        var backend = Backend(pool, backendId);
        backend.Increment(reservation);
        return backend;
    }

    /// <summary>
    /// A reservation whose answer came after this edge had given up on it (and routed the request otherwise, or not at
    /// all): nothing is opened, and the next report tells the backend grain to stop counting it.
    /// </summary>
    public void Forgo(string pool, string backendId, ReservationMark reservation) => Backend(pool, backendId).Forgo(reservation);

    private BackendConnections Backend(string pool, string backendId)
    {
        var key = (pool, backendId);
        if (!_backends.TryGetValue(key, out var backend))
        {
            var grain = grains.GetGrain<IBackendGrain>(BackendKey.Format(pool, backendId));
            var releases = new Coalescer<long>(sequences => grain.ReleaseNumbered(EdgeId, Instance, sequences).Forget(), ReleaseInterval, time);
            var created = new BackendConnections(pool, backendId, grain, releases);
            backend = _backends.GetOrAdd(key, created);
            if (ReferenceEquals(backend, created))
            {
                BackendAdded?.Invoke();
            }
        }

        return backend;
    }

    /// <summary>
    /// Holds the releases of <paramref name="pool"/>'s connections back while this edge routes the pool by itself:
    /// the cluster goes on counting them until the next report, so the slots they free are this edge's to reuse
    /// without a capped backend going over its cap.
    /// </summary>
    public void HoldReleases(string pool) => _releasesHeld.TryAdd(pool, 0);

    /// <summary>The cluster routes <paramref name="pool"/> again: releases are sent as connections end.</summary>
    public void SendReleases(string pool) => _releasesHeld.TryRemove(pool, out _);

    /// <summary>
    /// The count to report for <paramref name="backend"/>, whose <paramref name="live"/> connections are open here. While
    /// its pool's releases are held, no fewer than the cluster counts: the edge reuses the slots of connections that ended
    /// here, and a report of fewer would free them for the other edges too (a cap exceeded).
    /// </summary>
    public long CountToReport(BackendConnections backend, long live) =>
        HoldsReleases(backend.Pool) ? Math.Max(live, backend.CountedByCluster) : live;

    /// <summary>Whether <paramref name="pool"/>'s releases are held back (<see cref="HoldReleases"/>).</summary>
    public bool HoldsReleases(string pool) => _releasesHeld.ContainsKey(pool);

    /// <summary>The connection ended (or never started): stop counting it here and in the cluster.</summary>
    public void Close(BackendConnections backend)
    {
        var send = !HoldsReleases(backend.Pool);
        var release = backend.Decrement(send);
        if (send)
        {
            backend.Releases.Add(release);
        }
    }
}
