using System.Diagnostics;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Scenarios;

/// <summary>Connects with a timeout, counting failures by kind, and opens many connections at a capped rate.</summary>
internal sealed class ConnectionOpener(IWebSocketConnector connector, TimeSpan connectTimeout, ErrorCounter errors)
{
    /// <summary>Below this a paced start does not sleep; the timer could not honour it anyway.</summary>
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(1);

    private int _opened;

    public int Opened => Volatile.Read(ref _opened);

    /// <summary>
    /// One connect and upgrade. Failures are counted and give a null connection; an attempt cut short by
    /// <paramref name="stop"/> is not a failure.
    /// </summary>
    public async Task<ConnectAttempt> TryConnectAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(connectTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var connection = await connector.ConnectAsync(timeout.Token);
            return new ConnectAttempt(connection, started, Stopwatch.GetTimestamp());
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (timeout.IsCancellationRequested)
        {
            errors.Add(ErrorKinds.ConnectTimeout, $"No WebSocket within the {connectTimeout.TotalSeconds:0.###} s connect timeout ({exception.Message}).");
        }
        catch (Exception exception)
        {
            errors.Add(exception);
        }

        return new ConnectAttempt(null, started, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections, starting at most <paramref name="ratePerSecond"/> a second
    /// (0: all at once), and records each handshake's latency. Returns them by index, null where one failed.
    /// <paramref name="onOpened"/> runs for each as it opens.
    /// </summary>
    public async Task<IWebSocketConnection?[]> OpenAsync(
        int count,
        double ratePerSecond,
        LatencyRecorder handshakes,
        Action<int, IWebSocketConnection>? onOpened,
        CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(handshakes);
        var connections = new IWebSocketConnection?[count];
        var pending = new List<Task>(count);
        using var progressStop = new CancellationTokenSource();
        var progress = Progress.EveryAsync(TimeSpan.FromSeconds(1), () => $"connecting: {Opened}/{count} open, {errors.Total} failed", progressStop.Token);

        var started = Stopwatch.GetTimestamp();
        for (var index = 0; index < count && !stop.IsCancellationRequested; index++)
        {
            if (ratePerSecond > 0)
            {
                var pause = TimeSpan.FromSeconds(index / ratePerSecond) - Stopwatch.GetElapsedTime(started);
                if (pause >= MinimumPause)
                {
                    try
                    {
                        await Task.Delay(pause, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            pending.Add(OpenOneAsync(index));
        }

        await Task.WhenAll(pending);
        await progressStop.CancelAsync();
        await progress;
        return connections;

        async Task OpenOneAsync(int index)
        {
            var attempt = await TryConnectAsync(stop);
            if (attempt.Connection is { } connection)
            {
                handshakes.Record(attempt.Started, attempt.Completed);
                connections[index] = connection;
                Interlocked.Increment(ref _opened);
                onOpened?.Invoke(index, connection);
            }
        }
    }

    /// <summary>Closes every connection cleanly at once; one that fails or times out is counted and aborted.</summary>
    public static Task CloseAllAsync(IEnumerable<IWebSocketConnection> connections, TimeSpan timeout, ErrorCounter closeErrors)
    {
        ArgumentNullException.ThrowIfNull(closeErrors);
        return Task.WhenAll(connections.Select(CloseOneAsync));

        async Task CloseOneAsync(IWebSocketConnection connection)
        {
            try
            {
                await connection.CloseAsync(timeout);
            }
            catch (Exception exception)
            {
                closeErrors.Add(exception);
                connection.Abort();
            }
        }
    }
}
