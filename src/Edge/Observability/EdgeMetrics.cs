using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.Observability;

/// <summary>
/// The edge's instruments (meter <c>WsOrleans.Edge</c>), named as OpenTelemetry recommends; the
/// Prometheus names (<c>wsorleans_edge_…</c>) are listed in docs/metrics.md. Bytes and messages are
/// read from live tunnels when scraped, so a long-lived tunnel's traffic shows as it happens and the
/// data path pays nothing for it.
/// </summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "WsOrleans.Edge";

    private readonly Meter _meter;
    private readonly Counter<long> _handshakes;
    private readonly Histogram<double> _routing;
    private readonly Histogram<double> _tunnelDuration;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _httpRequests;
    private readonly Counter<long> _closedByEdge;
    private readonly Counter<long> _degraded;
    private readonly UpDownCounter<long> _httpActive;
    private readonly ConcurrentDictionary<(string Pool, string Backend), Totals> _closed = new();
    private readonly TunnelRegistry _tunnels;

    // A closing tunnel's traffic moves from the live set to the totals under this lock, so a scrape
    // never counts it twice or not at all (a counter must never go down).
    private readonly Lock _gate = new();

    public EdgeMetrics(IMeterFactory meters, TunnelRegistry tunnels)
    {
        _tunnels = tunnels;
        _meter = meters.Create(MeterName);
        _handshakes = _meter.CreateCounter<long>("wsorleans.edge.handshakes", "{handshake}", "WebSocket handshakes by result");
        _routing = _meter.CreateHistogram<double>(
            "wsorleans.edge.routing.duration", "s", "Time the routing grain took to choose a backend, per handshake",
            tags: null, advice: new() { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _tunnelDuration = _meter.CreateHistogram<double>(
            "wsorleans.edge.tunnel.duration", "s", "How long tunnels lasted",
            tags: null, advice: new() { HistogramBucketBoundaries = [0.1, 1, 5, 15, 60, 300, 900, 3600, 14400, 86400] });
        _active = _meter.CreateUpDownCounter<long>("wsorleans.edge.connections.active", "{connection}", "Tunnels this edge carries now");
        _degraded = _meter.CreateCounter<long>("wsorleans.edge.routing.degraded", "{decision}", "Routing decisions this edge made alone, from its last view of the pool, because the cluster did not answer");
        _closedByEdge = _meter.CreateCounter<long>("wsorleans.edge.tunnel.closes", "{tunnel}", "Tunnels the edge closed itself, by reason: rebalance, drain, shutdown");
        _httpRequests = _meter.CreateCounter<long>("wsorleans.edge.http.requests", "{request}", "Plain HTTP requests on pools' paths, by the backend that answered (none: the edge did) and status class");
        _httpActive = _meter.CreateUpDownCounter<long>("wsorleans.edge.http.active", "{request}", "Plain HTTP requests in flight to a backend (held polls and event streams included)");
        _meter.CreateObservableCounter("wsorleans.edge.tunnel.bytes", () => Measure(t => t.BytesToBackend, t => t.BytesToClient, x => x.BytesToBackend, x => x.BytesToClient), "By", "Bytes carried, by direction");
        _meter.CreateObservableCounter("wsorleans.edge.tunnel.messages", () => Measure(t => t.FromClient.Messages, t => t.FromBackend.Messages, x => x.MessagesToBackend, x => x.MessagesToClient), "{message}", "WebSocket messages carried, by direction");
    }

    /// <summary>One handshake's outcome: <c>ok</c>, or why it was refused or failed.</summary>
    public void Handshake(string pool, string result) =>
        _handshakes.Add(1, new("pool", pool), new("result", result));

    /// <summary>A plain request answered with <paramref name="status"/>, by <paramref name="backend"/> (empty when the edge answered).</summary>
    public void HttpRequest(string pool, string backend, int status) =>
        _httpRequests.Add(1, new("pool", pool), new("backend", backend), new("status_class", StatusClass(status)));

    public void HttpStarted(string pool, string backend) => _httpActive.Add(1, new("pool", pool), new("backend", backend));

    public void HttpEnded(string pool, string backend) => _httpActive.Add(-1, new("pool", pool), new("backend", backend));

    public void RoutedDegraded(string pool) => _degraded.Add(1, new KeyValuePair<string, object?>("pool", pool));

    public void Routed(string pool, TimeSpan duration) =>
        _routing.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));

    public void Opened(TunnelInfo info) =>
        _active.Add(1, new("pool", info.Pool), new("backend", info.BackendId));

    /// <summary>Counts a tunnel that ended and takes it out of the edge's live tunnels.</summary>
    public void Closed(TunnelInfo info, Tunnel tunnel)
    {
        lock (_gate)
        {
            var totals = _closed.GetOrAdd((info.Pool, info.BackendId), _ => new Totals());
            totals.BytesToBackend += tunnel.BytesToBackend;
            totals.BytesToClient += tunnel.BytesToClient;
            totals.MessagesToBackend += tunnel.FromClient.Messages;
            totals.MessagesToClient += tunnel.FromBackend.Messages;
            _tunnels.Remove(tunnel);
        }

        _active.Add(-1, new("pool", info.Pool), new("backend", info.BackendId));
        if (tunnel.ClosedFor is { } reason)
        {
            _closedByEdge.Add(1, new("pool", info.Pool), new("backend", info.BackendId), new("reason", reason.ToString().ToLowerInvariant()));
        }

        _tunnelDuration.Record(
            TimeSpan.FromMilliseconds(Environment.TickCount64 - info.Started).TotalSeconds,
            new("pool", info.Pool), new("backend", info.BackendId), new("ended_by", tunnel.EndedBy.ToString().ToLowerInvariant()));
    }

    public void Dispose() => _meter.Dispose();

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    // Closed tunnels' totals plus what live tunnels carried so far, per pool, backend and direction.
    private List<Measurement<long>> Measure(
        Func<Tunnel, long> liveToBackend,
        Func<Tunnel, long> liveToClient,
        Func<Totals, long> closedToBackend,
        Func<Totals, long> closedToClient)
    {
        Dictionary<(string Pool, string Backend), (long ToBackend, long ToClient)> sums;
        lock (_gate)
        {
            sums = _closed.ToDictionary(kv => kv.Key, kv => (closedToBackend(kv.Value), closedToClient(kv.Value)));
            foreach (var tunnel in _tunnels.Tunnels)
            {
                if (tunnel.Info is { } info)
                {
                    var key = (info.Pool, info.BackendId);
                    var sum = sums.GetValueOrDefault(key);
                    sums[key] = (sum.ToBackend + liveToBackend(tunnel), sum.ToClient + liveToClient(tunnel));
                }
            }
        }

        var measurements = new List<Measurement<long>>(sums.Count * 2);
        foreach (var ((pool, backend), (toBackend, toClient)) in sums)
        {
            measurements.Add(new(toBackend, new("pool", pool), new("backend", backend), new("direction", "to_backend")));
            measurements.Add(new(toClient, new("pool", pool), new("backend", backend), new("direction", "to_client")));
        }

        return measurements;
    }

    private sealed class Totals
    {
        public long BytesToBackend;
        public long BytesToClient;
        public long MessagesToBackend;
        public long MessagesToClient;
    }
}
