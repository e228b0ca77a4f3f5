using System.Diagnostics.Metrics;
using WsOrleans.Edge.Observability;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The tunnels' instruments on the edge's meter (<c>WsOrleans.Edge</c>; Prometheus names in docs/metrics.md): tunnels
/// open, how long they lasted, the ones the edge closed itself, and bytes and messages carried, read from the
/// <see cref="TunnelRegistry"/> when scraped so a long-lived tunnel's traffic shows as it happens and the data path
/// pays nothing for it.
/// </summary>
internal sealed class TunnelMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _closedByEdge;
    private Func<IReadOnlyDictionary<(string Pool, string Backend), TunnelTraffic>> _traffic = () => new Dictionary<(string, string), TunnelTraffic>();

    public TunnelMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(EdgeMetrics.MeterName);
        _duration = _meter.CreateHistogram<double>(
            "wsorleans.edge.tunnel.duration", "s", "How long tunnels lasted",
            tags: null, advice: new() { HistogramBucketBoundaries = [0.1, 1, 5, 15, 60, 300, 900, 3600, 14400, 86400] });
        _active = _meter.CreateUpDownCounter<long>("wsorleans.edge.connections.active", "{connection}", "Tunnels this edge carries now");
        _closedByEdge = _meter.CreateCounter<long>("wsorleans.edge.tunnel.closes", "{tunnel}", "Tunnels the edge closed itself, by reason: rebalance, drain, shutdown");
        _meter.CreateObservableCounter("wsorleans.edge.tunnel.bytes", () => Measure(t => t.BytesToBackend, t => t.BytesToClient), "By", "Bytes carried, by direction");
        _meter.CreateObservableCounter("wsorleans.edge.tunnel.messages", () => Measure(t => t.MessagesToBackend, t => t.MessagesToClient), "{message}", "WebSocket messages carried, by direction");
    }

    /// <summary>Where the bytes and messages carried so far are read from when scraped.</summary>
    public void ObserveTraffic(Func<IReadOnlyDictionary<(string Pool, string Backend), TunnelTraffic>> traffic) => _traffic = traffic;

    public void Opened(TunnelInfo info) => _active.Add(1, new("pool", info.Pool), new("backend", info.BackendId));

    public void Closed(TunnelInfo info, Tunnel tunnel, TimeSpan lasted)
    {
        _active.Add(-1, new("pool", info.Pool), new("backend", info.BackendId));
        if (tunnel.ClosedFor is { } reason)
        {
            _closedByEdge.Add(1, new("pool", info.Pool), new("backend", info.BackendId), new("reason", reason.ToString().ToLowerInvariant()));
        }

        _duration.Record(lasted.TotalSeconds, new("pool", info.Pool), new("backend", info.BackendId), new("ended_by", tunnel.EndedBy.ToString().ToLowerInvariant()));
    }

    public void Dispose() => _meter.Dispose();

    private List<Measurement<long>> Measure(Func<TunnelTraffic, long> toBackend, Func<TunnelTraffic, long> toClient)
    {
        var traffic = _traffic();
        var measurements = new List<Measurement<long>>(traffic.Count * 2);
        foreach (var ((pool, backend), carried) in traffic)
        {
            measurements.Add(new(toBackend(carried), new("pool", pool), new("backend", backend), new("direction", "to_backend")));
            measurements.Add(new(toClient(carried), new("pool", pool), new("backend", backend), new("direction", "to_client")));
        }

        return measurements;
    }
}

/// <summary>Bytes and messages carried each way, per pool and backend.</summary>
internal readonly record struct TunnelTraffic(long BytesToBackend, long BytesToClient, long MessagesToBackend, long MessagesToClient)
{
    public static TunnelTraffic Of(Tunnel tunnel) => new(tunnel.BytesToBackend, tunnel.BytesToClient, tunnel.FromClient.Messages, tunnel.FromBackend.Messages);

    public static TunnelTraffic operator +(TunnelTraffic a, TunnelTraffic b) =>
        new(a.BytesToBackend + b.BytesToBackend, a.BytesToClient + b.BytesToClient, a.MessagesToBackend + b.MessagesToBackend, a.MessagesToClient + b.MessagesToClient);
}
