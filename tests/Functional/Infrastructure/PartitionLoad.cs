using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// The load a partition scenario runs under, through every edge of a <see cref="PartitionBed"/>:
/// long-lived clients on pool <c>live</c> that each send a message every second and expect its echo (a tunnel
/// that stops echoing or closes is lost), handshake churn on pool <c>brief</c> (connect, one echo, close, again),
/// and clients that take and give back connections on pool <c>capped</c> to keep its backend at its cap.
/// </summary>
internal sealed class PartitionLoad : IAsyncDisposable
{
    /// <summary>A client may wait this long for a handshake: browsers and SignalR wait longer.</summary>
    private static readonly TimeSpan HandshakeDeadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan EchoDeadline = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<BedEdge> _edges;
    private readonly CancellationTokenSource _stopAll = new();
    private readonly CancellationTokenSource _stopChurn = new();
    private readonly ConcurrentQueue<Handshake> _handshakes = [];
    private readonly ConcurrentQueue<string> _lost = [];
    private readonly List<Task> _holders = [];
    private readonly List<Task> _churn = [];
    private int _cappedRefusals;
    private int _cappedHeld;

    private PartitionLoad(IReadOnlyList<BedEdge> edges) => _edges = edges;

    /// <summary>Every handshake of the churn, in the order they finished.</summary>
    public IReadOnlyList<Handshake> Handshakes => [.. _handshakes];

    /// <summary>Long-lived tunnels that failed, each with the edge and why.</summary>
    public IReadOnlyList<string> Lost => [.. _lost];

    /// <summary>Handshakes on pool <c>capped</c> that were refused (the cap is full, as expected under this load).</summary>
    public int CappedRefusals => Volatile.Read(ref _cappedRefusals);

    /// <summary>Connections on pool <c>capped</c> taken and given back.</summary>
    public int CappedHeld => Volatile.Read(ref _cappedHeld);

    /// <summary>Opens <paramref name="holders"/> long-lived clients, alternating over the edges, and returns once all are open.</summary>
    public static async Task<PartitionLoad> StartAsync(IReadOnlyList<BedEdge> edges, int holders, CancellationToken cancellationToken)
    {
        var load = new PartitionLoad(edges);
        var opened = new ConcurrentBag<(BedEdge Edge, ClientWebSocket Socket)>();
        await Parallel.ForAsync(0, holders, new ParallelOptions { MaxDegreeOfParallelism = 25, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var edge = edges[i % edges.Count];
            opened.Add((edge, await WebSocketClient.ConnectAsync(edge.WebSocketUri("/live"), ct)));
        });
        foreach (var (edge, socket) in opened)
        {
            load._holders.Add(load.HoldAsync(edge, socket));
        }

        return load;
    }

    /// <summary>Starts the handshake churn and the capped clients, so many of each per edge.</summary>
    public void StartChurn(int handshakersPerEdge, int cappedPerEdge)
    {
        foreach (var edge in _edges)
        {
            for (var i = 0; i < handshakersPerEdge; i++)
            {
                _churn.Add(ShakeHandsAsync(edge));
            }

            for (var i = 0; i < cappedPerEdge; i++)
            {
                _churn.Add(TakeCappedAsync(edge));
            }
        }
    }

    /// <summary>Stops the churn and waits until its connections are closed; the long-lived clients go on.</summary>
    public async Task StopChurnAsync()
    {
        await _stopChurn.CancelAsync();
        await Task.WhenAll(_churn);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopChurn.CancelAsync();
        await _stopAll.CancelAsync();
        await Task.WhenAll([.. _churn, .. _holders]);
        _stopAll.Dispose();
        _stopChurn.Dispose();
    }

    private async Task HoldAsync(BedEdge edge, ClientWebSocket socket)
    {
        using (socket)
        {
            var n = 0;
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(800 + Random.Shared.Next(400)), _stopAll.Token);
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopAll.Token);
                    deadline.CancelAfter(EchoDeadline);
                    var text = $"ping {++n}";
                    var echo = await socket.AskAsync(text, deadline.Token);
                    if (echo != text)
                    {
                        _lost.Enqueue($"{edge.Id}: echoed '{echo}' for '{text}'");
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (_stopAll.IsCancellationRequested)
            {
                socket.Abort();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or Xunit.Sdk.XunitException)
            {
                _lost.Enqueue($"{DateTime.UtcNow:HH:mm:ss.f} {edge.Id}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private async Task ShakeHandsAsync(BedEdge edge)
    {
        while (!_stopChurn.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            string? error = null;
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopAll.Token);
                deadline.CancelAfter(HandshakeDeadline);
                using var socket = await Connect(edge.WebSocketUri("/brief"), deadline.Token, status => error = status);
                if (socket is not null)
                {
                    await socket.AskAsync("hello", deadline.Token);
                    await socket.CloseQuietlyAsync(deadline.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                error ??= $"{e.GetType().Name}: {e.Message}";
            }

            _handshakes.Enqueue(new Handshake(DateTime.UtcNow, edge.Id, error, Stopwatch.GetElapsedTime(started)));
            await Pause(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task TakeCappedAsync(BedEdge edge)
    {
        while (!_stopChurn.IsCancellationRequested)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopAll.Token);
                deadline.CancelAfter(HandshakeDeadline + TimeSpan.FromSeconds(5));
                using var socket = await Connect(edge.WebSocketUri("/capped"), deadline.Token, _ => Interlocked.Increment(ref _cappedRefusals));
                if (socket is null)
                {
                    await Pause(TimeSpan.FromMilliseconds(250));
                    continue;
                }

                Interlocked.Increment(ref _cappedHeld);
                await Pause(TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(2000)));
                await socket.CloseQuietlyAsync(deadline.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Broken or stopped: the cap is what this client is for, and the backend's peak measures it.
            }
        }
    }

    /// <summary>Connects; a refused handshake (an HTTP status instead of 101) is passed to <paramref name="refused"/> and gives null.</summary>
    private static async Task<ClientWebSocket?> Connect(Uri uri, CancellationToken cancellationToken, Action<string> refused)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            refused($"HTTP {(int)socket.HttpStatusCode}");
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task Pause(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopChurn.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }
}

/// <summary>One handshake of the churn: when it finished, through which edge, what went wrong (null: nothing) and how long it took.</summary>
internal sealed record class Handshake(DateTime At, string Edge, string? Error, TimeSpan Took);
