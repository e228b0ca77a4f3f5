using System.Collections.Concurrent;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The tunnels this edge carries. One sweep ends every tunnel that moved no byte for
/// <see cref="EdgeSettings.ActivityTimeout"/>, instead of a timer per tunnel reset on every read.
/// </summary>
internal sealed class TunnelRegistry : BackgroundService
{
    private readonly WsOrleansSettings _settings;

    public TunnelRegistry(WsOrleansSettings settings, IHostApplicationLifetime lifetime)
    {
        _settings = settings;

        // Kestrel's stop waits for the requests it still carries (tunnels it could not hand off):
        // the drain must already be closing them by then.
        lifetime.ApplicationStopping.Register(() => DrainAsync());
    }

    private readonly ConcurrentDictionary<Tunnel, byte> _tunnels = new();

    public int Count => _tunnels.Count;

    public IEnumerable<Tunnel> Tunnels => _tunnels.Keys;

    public void Add(Tunnel tunnel) => _tunnels.TryAdd(tunnel, 0);

    public void Remove(Tunnel tunnel) => _tunnels.TryRemove(tunnel, out _);

    /// <summary>How long each tunnel's close handshake may take during a drain.</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private Task? _drain;

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
}
