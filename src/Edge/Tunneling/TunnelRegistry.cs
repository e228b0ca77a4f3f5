using System.Collections.Concurrent;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Logging;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The tunnels this edge carries. A tunnel is carried through <see cref="RunAsync"/>, which adds it, logs and counts
/// it, and removes it when it ends. One sweep ends every tunnel that moved no byte for
/// <see cref="EdgeSettings.ActivityTimeout"/>, instead of a timer per tunnel reset on every read; on shutdown every
/// tunnel is closed with 1001, spread over <see cref="EdgeSettings.DrainWindow"/>.
/// </summary>
internal sealed partial class TunnelRegistry : BackgroundService
{
    /// <summary>The category of the connection log, so it can be kept or silenced on its own.</summary>
    public const string ConnectionLogCategory = "WsOrleans.Connections";

    /// <summary>How long each tunnel's close handshake may take when the edge closes it.</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Tunnel, byte> _tunnels = new();
    private readonly Dictionary<(string Pool, string Backend), TunnelTraffic> _ended = [];

    // An ending tunnel's traffic moves from the live set to the totals under this lock, so a scrape never counts it
    // twice or not at all (a counter must never go down).
    private readonly Lock _gate = new();
    private readonly WsOrleansSettings _settings;
    private readonly TunnelMetrics _metrics;
    private readonly ILogger _log;
    private Task? _drain;

    public TunnelRegistry(WsOrleansSettings settings, TunnelMetrics metrics, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _settings = settings;
        _metrics = metrics;
        _log = loggers.CreateLogger(ConnectionLogCategory);
        metrics.ObserveTraffic(Traffic);

        // Kestrel's stop waits for the requests it still carries (tunnels it could not hand off):
        // the drain must already be closing them by then.
        lifetime.ApplicationStopping.Register(() => DrainAsync());
    }

    public int Count => _tunnels.Count;

    public IEnumerable<Tunnel> Tunnels => _tunnels.Keys;

    /// <summary>
    /// Carries <paramref name="tunnel"/> until it ends: what each side sent before it began that no one has read yet
    /// goes first. It is in the registry (closed by drains, rebalancing and the idle sweep) for exactly that long.
    /// </summary>
    public async Task RunAsync(Tunnel tunnel, ReadOnlyMemory<byte> fromClient, ReadOnlyMemory<byte> fromBackend)
    {
        var info = tunnel.Info;
        _tunnels.TryAdd(tunnel, 0);
        _metrics.Opened(info);
        Log.Opened(_log, info.ConnectionId, info.ClientAddress, info.Pool, info.BackendId, info.BackendAddress, tunnel.Carrier);
        try
        {
            await tunnel.RunAsync(fromClient, fromBackend);
        }
        finally
        {
            lock (_gate)
            {
                var key = (info.Pool, info.BackendId);
                _ended[key] = _ended.GetValueOrDefault(key) + TunnelTraffic.Of(tunnel);
                _tunnels.TryRemove(tunnel, out _);
            }

            var lasted = TimeSpan.FromMilliseconds(Environment.TickCount64 - info.Started);
            _metrics.Closed(info, tunnel, lasted);
            var (closedBy, closeCode) = tunnel.Closer;
            Log.Closed(
                _log, info.ConnectionId, info.ClientAddress, info.Pool, info.BackendId, (long)lasted.TotalMilliseconds,
                tunnel.BytesToBackend, tunnel.BytesToClient, tunnel.FromClient.Messages, tunnel.FromBackend.Messages, closedBy, closeCode);
        }
    }

    /// <summary>
    /// The edge is stopping: close every tunnel with 1001 (going away), spread evenly over
    /// <see cref="EdgeSettings.DrainWindow"/> so that clients do not all reconnect at the same
    /// moment. It starts as soon as stopping begins, while the listener closes, and each close is
    /// reported to the cluster as it happens.
    /// </summary>
    public Task DrainAsync() => _drain ??= DrainCoreAsync();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DrainAsync().WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = (long)_settings.Edge.ActivityTimeout.TotalMilliseconds;
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(timeout / 10, 100, 5_000));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                foreach (var tunnel in _tunnels.Keys)
                {
                    if (now - tunnel.LastActivity > timeout)
                    {
                        tunnel.End(TunnelEnd.Idle);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task DrainCoreAsync()
    {
        var tunnels = _tunnels.Keys.ToList();
        var closing = new List<Task>(tunnels.Count);
        var started = DateTime.UtcNow;
        for (var i = 0; i < tunnels.Count; i++)
        {
            var due = started + (_settings.Edge.DrainWindow * i / tunnels.Count) - DateTime.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            closing.Add(tunnels[i].CloseAsync(1001, "edge shutting down", CloseHandshakeTimeout, Edges.CloseReason.Shutdown));
        }

        await Task.WhenAll(closing);
    }

    /// <summary>Ended tunnels' totals plus what live tunnels carried so far, per pool and backend.</summary>
    private Dictionary<(string Pool, string Backend), TunnelTraffic> Traffic()
    {
        lock (_gate)
        {
            var sums = new Dictionary<(string Pool, string Backend), TunnelTraffic>(_ended);
            foreach (var tunnel in _tunnels.Keys)
            {
                var key = (tunnel.Info.Pool, tunnel.Info.BackendId);
                sums[key] = sums.GetValueOrDefault(key) + TunnelTraffic.Of(tunnel);
            }

            return sums;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Tunneling.TunnelOpened, Level = LogLevel.Information, EventName = "TunnelOpened",
            Message = "Tunnel {ConnectionId} opened: client {ClientAddress} to pool {Pool} backend {Backend} at {BackendAddress} ({Carrier})")]
        public static partial void Opened(ILogger logger, string connectionId, string? clientAddress, string pool, string backend, string backendAddress, string carrier);

        [LoggerMessage(EventId = EventIds.Tunneling.TunnelClosed, Level = LogLevel.Information, EventName = "TunnelClosed",
            Message = "Tunnel {ConnectionId} closed by {ClosedBy} (code {CloseCode}) after {DurationMs} ms: client {ClientAddress}, pool {Pool}, backend {Backend}; "
                + "{BytesToBackend} bytes / {MessagesToBackend} messages to the backend, {BytesToClient} bytes / {MessagesToClient} messages to the client")]
        public static partial void Closed(
            ILogger logger, string connectionId, string? clientAddress, string pool, string backend, long durationMs,
            long bytesToBackend, long bytesToClient, long messagesToBackend, long messagesToClient, string closedBy, int? closeCode);
    }
}
