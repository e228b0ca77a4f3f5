using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A steady stream of handshakes, spread over several edges in turn, each kept open when it
/// succeeds. Records when each started and whether it succeeded, on one clock.
/// </summary>
internal sealed class HandshakeStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(TimeSpan Started, bool Succeeded)> _results = new();
    private readonly ConcurrentBag<ClientWebSocket> _open = [];
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;

    public HandshakeStream(IReadOnlyList<Uri> targets, int perSecond)
    {
        _loop = RunAsync(targets, TimeSpan.FromSeconds(1.0 / perSecond));
    }

    /// <summary>Time on the stream's clock.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<(TimeSpan Started, bool Succeeded)> Results => [.. _results];

    public int Succeeded => _results.Count(r => r.Succeeded);

    public int OpenCount => _open.Count(s => s.State == WebSocketState.Open);

    /// <summary>Stops starting handshakes and waits for those in flight to finish.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Task.WhenAll(_inFlight.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var socket in _open)
        {
            socket.Abort();
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<Uri> targets, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        var next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var handshake = HandshakeAsync(targets[next++ % targets.Count]);
                _inFlight.TryAdd(handshake, 0);
                _ = handshake.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task HandshakeAsync(Uri target)
    {
        var started = _clock.Elapsed;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            _open.Add(await WebSocketClient.ConnectAsync(target, timeout.Token));
            _results.Enqueue((started, true));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            _results.Enqueue((started, false));
        }
    }
}
