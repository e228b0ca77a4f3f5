using System.Collections.Concurrent;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The tunnels this edge carries. One sweep ends every tunnel that moved no byte for
/// <see cref="EdgeSettings.ActivityTimeout"/>, instead of a timer per tunnel reset on every read.
/// </summary>
internal sealed class TunnelRegistry(WsOrleansSettings settings) : BackgroundService
{
    private readonly ConcurrentDictionary<Tunnel, byte> _tunnels = new();

    public int Count => _tunnels.Count;

    public IEnumerable<Tunnel> Tunnels => _tunnels.Keys;

    public void Add(Tunnel tunnel) => _tunnels.TryAdd(tunnel, 0);

    public void Remove(Tunnel tunnel) => _tunnels.TryRemove(tunnel, out _);

    /// <summary>The edge is stopping: end every tunnel it still carries.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var tunnel in _tunnels.Keys)
        {
            tunnel.End(TunnelEnd.Edge);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = (long)settings.Edge.ActivityTimeout.TotalMilliseconds;
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
