using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// Long-lived WebSocket clients that behave like real applications: each holds one connection, and when the
/// server closes it, answers the close, waits 0 to 1 s (jitter) and connects again, through the next of the
/// given edges. Every close a client received is recorded with its code and when it came.
/// </summary>
internal sealed class ReconnectingClients : IAsyncDisposable
{
    private static readonly TimeSpan MaxJitter = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Uri> _targets;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<(DateTime At, WebSocketCloseStatus? Code)> _closes = [];
    private readonly List<Task> _clients = [];
    private int _next;
    private int _open;

    private ReconnectingClients(IReadOnlyList<Uri> targets) => _targets = targets;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Every close the server sent, with when it arrived.</summary>
    public IReadOnlyList<(DateTime At, WebSocketCloseStatus? Code)> Closes => [.. _closes.OrderBy(c => c.At)];

    /// <summary>Opens <paramref name="count"/> clients, alternating over <paramref name="targets"/>, and returns once all are connected.</summary>
    public static async Task<ReconnectingClients> StartAsync(IReadOnlyList<Uri> targets, int count, CancellationToken cancellationToken)
    {
        var clients = new ReconnectingClients(targets);
        var connected = new ConcurrentBag<ClientWebSocket>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 25, CancellationToken = cancellationToken }, async (_, ct) =>
            connected.Add(await clients.ConnectAsync(ct)));
        foreach (var socket in connected)
        {
            clients._clients.Add(clients.RunAsync(socket));
        }

        return clients;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _stop.Dispose();
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var target = _targets[(int)((uint)Interlocked.Increment(ref _next) % _targets.Count)];
        var socket = await WebSocketClient.ConnectAsync(target, cancellationToken);
        Interlocked.Increment(ref _open);
        return socket;
    }

    private async Task RunAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                WebSocketCloseStatus? code;
                try
                {
                    var result = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType != WebSocketMessageType.Close)
                    {
                        continue;
                    }

                    code = result.CloseStatus;
                    await socket.CloseOutputAsync(code ?? WebSocketCloseStatus.NormalClosure, null, _stop.Token);
                }
                catch (WebSocketException) when (!_stop.IsCancellationRequested)
                {
                    // The connection broke without a close frame: recorded with no code.
                    code = null;
                }

                _closes.Add((DateTime.UtcNow, code));
                Interlocked.Decrement(ref _open);
                socket.Dispose();
                await Task.Delay(Random.Shared.NextDouble() * MaxJitter, _stop.Token);
                socket = await ReconnectAsync();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Stopping.
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    private async Task<ClientWebSocket> ReconnectAsync()
    {
        while (true)
        {
            try
            {
                return await ConnectAsync(_stop.Token);
            }
            catch (WebSocketException)
            {
                // Refused for now (every backend draining or full): try again, as applications do.
                await Task.Delay(Random.Shared.NextDouble() * MaxJitter, _stop.Token);
            }
        }
    }
}
