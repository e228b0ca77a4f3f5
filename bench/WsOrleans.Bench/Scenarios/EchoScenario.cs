using System.Diagnostics;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Scenarios;

/// <summary>The <c>echo</c> command: throughput and round-trip latency of N connections in closed loops.</summary>
internal static class EchoScenario
{
    /// <summary>How long a loop may still wait for its last echo after the run before it is abandoned.</summary>
    private static readonly TimeSpan StallGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(EchoSettings settings, CancellationToken stop)
    {
        using var connector = await WebSocketClients.CreateAsync(settings.Connection, settings.Size, stop);
        var connectErrors = new ErrorCounter("connect");
        var errors = new ErrorCounter("echo");
        var closeErrors = new ErrorCounter("close");
        using var handshakes = new LatencyRecorder();
        using var roundTrips = new LatencyRecorder();

        Progress.Write($"echo: opening {settings.Connections} connections to {settings.Connection.UrlText} with the {connector.Name} client"
            + (settings.ConnectRate > 0 ? $" at {settings.ConnectRate}/s" : ""));
        var opener = new ConnectionOpener(connector, settings.Connection.ConnectTimeout, connectErrors);
        var connectStarted = Stopwatch.GetTimestamp();
        var connections = (await opener.OpenAsync(settings.Connections, settings.ConnectRate, handshakes, null, stop))
            .OfType<IWebSocketConnection>()
            .ToArray();
        var connectSeconds = Stopwatch.GetElapsedTime(connectStarted).TotalSeconds;
        Progress.Write($"echo: {connections.Length} open, {connectErrors.Total} failed in {connectSeconds:F2} s; "
            + $"{settings.Warmup.TotalSeconds:0.###} s warm-up, then {settings.Duration.TotalSeconds:0.###} s measured");

        var payload = new byte[settings.Size];
        Random.Shared.NextBytes(payload);
        var clock = new RunClock(settings.Warmup, settings.Duration);
        if (stop.IsCancellationRequested)
        {
            clock.StopNow();
        }

        var workers = connections.Select(connection => new EchoWorker(connection, payload, clock, roundTrips, errors)).ToArray();
        var loops = workers.Select(worker => worker.RunAsync()).ToArray();

        using var progressStop = new CancellationTokenSource();
        var lastMessages = 0L;
        var progress = Progress.EveryAsync(TimeSpan.FromSeconds(1), () =>
        {
            var messages = workers.Sum(worker => worker.Messages);
            var line = $"echo: {messages - lastMessages} msg/s, {workers.Count(worker => !worker.Failed)} loops running, {errors.Total} errors";
            lastMessages = messages;
            return line;
        }, progressStop.Token);

        var target = new ProcessCpu(settings.CpuOf);
        await clock.WaitUntilAsync(clock.MeasureStart, stop);
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var targetCpuAtStart = target.Read();
        var allocatedAtStart = GC.GetTotalAllocatedBytes();
        await clock.WaitUntilAsync(clock.End, stop);
        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        var targetCpu = target.Read() - targetCpuAtStart;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedAtStart;
        var measuredSeconds = clock.MeasuredSeconds;
        await progressStop.CancelAsync();
        await progress;

        var allLoops = Task.WhenAll(loops);
        if (await Task.WhenAny(allLoops, Task.Delay(StallGrace, CancellationToken.None)) != allLoops)
        {
            for (var i = 0; i < loops.Length; i++)
            {
                if (!loops[i].IsCompleted)
                {
                    errors.Add(ErrorKinds.Stalled, $"No echo within {StallGrace.TotalSeconds} s of the end of the run.");
                    workers[i].Abandon();
                }
            }

            await allLoops;
        }

        var active = workers.Where(worker => !worker.Failed).Select(worker => worker.Connection).ToArray();
        Progress.Write($"echo: closing {active.Length} connections");
        await ConnectionOpener.CloseAllAsync(active, CloseTimeout, closeErrors);
        foreach (var worker in workers.Where(worker => worker.Failed))
        {
            worker.Connection.Dispose();
        }

        var messagesMeasured = workers.Sum(worker => worker.MeasuredMessages);
        var handshakeHistogram = handshakes.Snapshot();
        var roundTripHistogram = roundTrips.Snapshot();
        JsonReport.Write(json =>
        {
            json.WriteString("command", "echo");
            json.WriteString("client", connector.Name);
            json.WriteString("url", settings.Connection.UrlText);
            if (connector.NegotiatedTls is { } tls)
            {
                json.WriteString("tls", tls);
            }

            json.WriteNumber("connections", settings.Connections);
            json.WriteNumber("size", settings.Size);
            json.WriteNumber("connectionsOpened", connections.Length);
            json.WriteNumber("connectErrors", connectErrors.Total);
            json.WriteKinds("connectErrorKinds", connectErrors);
            json.WriteRounded("connectSeconds", connectSeconds);
            json.WriteMilliseconds("handshake", handshakeHistogram, 50, 99);
            json.WriteRounded("warmupSeconds", settings.Warmup.TotalSeconds);
            json.WriteRounded("durationSeconds", measuredSeconds);
            json.WriteNumber("messages", messagesMeasured);
            json.WriteRounded("messagesPerSecond", measuredSeconds > 0 ? messagesMeasured / measuredSeconds : 0, 1);
            json.WriteMicroseconds("rtt", roundTripHistogram, 50, 90, 99, 99.9);
            json.WriteNumber("errors", errors.Total);
            json.WriteKinds("errorKinds", errors);
            json.WriteNumber("connectionsAtEnd", active.Length);
            json.WriteNumber("closeErrors", closeErrors.Total);
            json.WriteKinds("closeErrorKinds", closeErrors);
            json.WriteRounded("clientCpuSeconds", cpu.TotalSeconds);
            json.WriteRounded("clientAllocatedBytesPerMessage", messagesMeasured > 0 ? (double)allocated / messagesMeasured : 0, 1);
            if (!target.IsEmpty)
            {
                json.WriteRounded("targetCpuSeconds", targetCpu.TotalSeconds);
            }
        });

        return connections.Length == 0 ? ExitCodes.NothingSucceeded : ExitCodes.Success;
    }
}
