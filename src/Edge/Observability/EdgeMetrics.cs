using System.Diagnostics.Metrics;

namespace WsOrleans.Edge.Observability;

/// <summary>
/// The edge's instruments for handshakes, routing and plain requests (meter <c>WsOrleans.Edge</c>), named as
/// OpenTelemetry recommends; the Prometheus names (<c>wsorleans_edge_…</c>) are listed in docs/metrics.md. The
/// tunnels' own are in <c>Tunneling/TunnelMetrics</c>, on the same meter.
/// </summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "WsOrleans.Edge";

    private readonly Meter _meter;
    private readonly Counter<long> _handshakes;
    private readonly Histogram<double> _routing;
    private readonly Counter<long> _httpRequests;
    private readonly Counter<long> _degraded;
    private readonly UpDownCounter<long> _httpActive;

    public EdgeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _handshakes = _meter.CreateCounter<long>("wsorleans.edge.handshakes", "{handshake}", "WebSocket handshakes by result");
        _routing = _meter.CreateHistogram<double>(
            "wsorleans.edge.routing.duration", "s", "Time the routing grain took to choose a backend, per handshake",
            tags: null, advice: new() { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _degraded = _meter.CreateCounter<long>("wsorleans.edge.routing.degraded", "{decision}", "Routing decisions this edge made alone, from its last view of the pool, because the cluster did not answer");
        _httpRequests = _meter.CreateCounter<long>("wsorleans.edge.http.requests", "{request}", "Plain HTTP requests on pools' paths, by the backend that answered (none: the edge did) and status class");
        _httpActive = _meter.CreateUpDownCounter<long>("wsorleans.edge.http.active", "{request}", "Plain HTTP requests in flight to a backend (held polls and event streams included)");
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

    public void Dispose() => _meter.Dispose();

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
