using System.Diagnostics;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Scenarios;

/// <summary>
/// The <c>hold</c> command: N idle connections, held open so the proxy's memory per connection can be measured.
/// Each connection waits for the server with a zero-byte receive, so a drop (an idle timeout, say) is noticed and
/// counted, yet no connection holds a buffer.
/// </summary>
internal static class HoldScenario
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(HoldSettings settings, CancellationToken stop)
    {
        using var connector = await WebSocketClients.CreateAsync(settings.Connection, messageSize: 0, stop);
        var connectErrors = new ErrorCounter("connect");
        var drops = new ErrorCounter("drop");
        var closeErrors = new ErrorCounter("close");
        using var handshakes = new LatencyRecorder();
        using var watchStop = new CancellationTokenSource();
        var watchers = new Task[settings.Connections];
        var dropped = new bool[settings.Connections];

        Progress.Write($"hold: opening {settings.Connections} connections to {settings.Connection.UrlText} with the {connector.Name} client"
            + (settings.ConnectRate > 0 ? $" at {settings.ConnectRate}/s" : ""));
        var opener = new ConnectionOpener(connector, settings.Connection.ConnectTimeout, connectErrors);
        var connectStarted = Stopwatch.GetTimestamp();
        var connections = await opener.OpenAsync(settings.Connections, settings.ConnectRate, handshakes, Watch, stop);
        var connectSeconds = Stopwatch.GetElapsedTime(connectStarted).TotalSeconds;
        var opened = opener.Opened;

        var workingSet = Environment.WorkingSet;
        var managedHeap = GC.GetTotalMemory(forceFullCollection: true);
        JsonReport.Write(json =>
        {
            json.WriteBoolean("ready", true);
            json.WriteNumber("connections", opened);
        });
        if (settings.ReadyFile is { } readyFile)
        {
            await File.WriteAllTextAsync(readyFile, $"{{\"ready\":true,\"connections\":{opened}}}\n", CancellationToken.None);
        }

        var watchStdin = StdinWatcher.IsWatchable();
        Progress.Write($"hold: {opened} open, {connectErrors.Total} failed in {connectSeconds:F2} s; holding "
            + (settings.HoldFor > TimeSpan.Zero ? $"for {settings.HoldFor.TotalSeconds:0.###} s" : "until a signal")
            + (watchStdin ? " or until stdin closes" : "")
            + $" (client working set {workingSet / (1024.0 * 1024):F1} MiB)");

        var heldFrom = Stopwatch.GetTimestamp();
        var endedBy = await HoldAsync(settings.HoldFor, watchStdin, () => $"hold: {opened - drops.Total} open, {drops.Total} dropped", stop);
        var heldSeconds = Stopwatch.GetElapsedTime(heldFrom).TotalSeconds;
        Progress.Write($"hold: ended by {endedBy} after {heldSeconds:F1} s; closing");

        await watchStop.CancelAsync();
        await Task.WhenAll(watchers.Where(watcher => watcher is not null));
        var remaining = connections.Where((connection, index) => connection is not null && !dropped[index]).Cast<IWebSocketConnection>().ToArray();
        await ConnectionOpener.CloseAllAsync(remaining, CloseTimeout, closeErrors);

        var handshakeHistogram = handshakes.Snapshot();
        JsonReport.Write(json =>
        {
            json.WriteString("command", "hold");
            json.WriteString("client", connector.Name);
            json.WriteString("url", settings.Connection.UrlText);
            if (connector.NegotiatedTls is { } tls)
            {
                json.WriteString("tls", tls);
            }

            json.WriteNumber("connections", settings.Connections);
            json.WriteNumber("connectionsOpened", opened);
            json.WriteNumber("connectErrors", connectErrors.Total);
            json.WriteKinds("connectErrorKinds", connectErrors);
            json.WriteRounded("connectSeconds", connectSeconds);
            json.WriteMilliseconds("handshake", handshakeHistogram, 50, 99);
            json.WriteRounded("heldSeconds", heldSeconds);
            json.WriteString("endedBy", endedBy);
            json.WriteNumber("dropped", drops.Total);
            json.WriteKinds("dropKinds", drops);
            json.WriteNumber("closed", remaining.Length - closeErrors.Total);
            json.WriteNumber("closeErrors", closeErrors.Total);
            json.WriteKinds("closeErrorKinds", closeErrors);
            json.WriteNumber("clientWorkingSetBytes", workingSet);
            json.WriteNumber("clientManagedHeapBytes", managedHeap);
        });

        return opened == 0 ? ExitCodes.NothingSucceeded : ExitCodes.Success;

        void Watch(int index, IWebSocketConnection connection) => watchers[index] = WatchAsync(index, connection);

        async Task WatchAsync(int index, IWebSocketConnection connection)
        {
            if (await connection.WaitForDropAsync(watchStop.Token) is { } kind)
            {
                dropped[index] = true;
                drops.Add(kind, $"Connection {index} was closed by the server or the network while held.");
                connection.Abort();
            }
        }
    }

    private static async Task<string> HoldAsync(TimeSpan holdFor, bool watchStdin, Func<string> progressLine, CancellationToken stop)
    {
        using var holdEnd = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var progress = Progress.EveryAsync(TimeSpan.FromSeconds(10), progressLine, holdEnd.Token);
        var timer = holdFor > TimeSpan.Zero ? Task.Delay(holdFor, holdEnd.Token) : Task.Delay(Timeout.Infinite, holdEnd.Token);
        var stdinClosed = watchStdin ? StdinWatcher.WhenClosedAsync() : Task.Delay(Timeout.Infinite, holdEnd.Token);
        var first = await Task.WhenAny(timer, stdinClosed);
        var endedBy = stop.IsCancellationRequested ? "signal" : first == stdinClosed && stdinClosed.IsCompletedSuccessfully ? "stdin" : "time";
        await holdEnd.CancelAsync();
        await progress;
        return endedBy;
    }
}
