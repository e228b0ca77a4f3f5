using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Scenarios;

/// <summary>The <c>handshakes</c> command: how many WebSocket lifetimes per second, and handshake latency.</summary>
internal static class HandshakeScenario
{
    public static async Task<int> RunAsync(HandshakeSettings settings, CancellationToken stop)
    {
        using var connector = await WebSocketClients.CreateAsync(settings.Connection, settings.Size, stop);
        var errors = new ErrorCounter("handshakes");
        using var handshakes = new LatencyRecorder();
        using var cycles = new LatencyRecorder();
        var opener = new ConnectionOpener(connector, settings.Connection.ConnectTimeout, errors);
        ReadOnlyMemory<byte>? payload = null;
        if (settings.SendMessage)
        {
            var bytes = new byte[settings.Size];
            Random.Shared.NextBytes(bytes);
            payload = bytes;
        }

        Progress.Write($"handshakes: {settings.Concurrency} workers against {settings.Connection.UrlText} with the {connector.Name} client"
            + (settings.SendMessage ? $", one {settings.Size}-byte echo each" : "")
            + $"; {settings.Warmup.TotalSeconds:0.###} s warm-up, then {settings.Duration.TotalSeconds:0.###} s measured");
        var clock = new RunClock(settings.Warmup, settings.Duration);
        if (stop.IsCancellationRequested)
        {
            clock.StopNow();
        }

        var workers = Enumerable.Range(0, settings.Concurrency)
            .Select(_ => new HandshakeWorker(opener, payload, settings.Connection.ConnectTimeout, clock, handshakes, cycles, errors))
            .ToArray();
        var loops = workers.Select(worker => worker.RunAsync(stop)).ToArray();

        using var progressStop = new CancellationTokenSource();
        var lastCycles = 0L;
        var progress = Progress.EveryAsync(TimeSpan.FromSeconds(1), () =>
        {
            var total = workers.Sum(worker => worker.Cycles);
            var line = $"handshakes: {total - lastCycles}/s, {errors.Total} errors";
            lastCycles = total;
            return line;
        }, progressStop.Token);

        var target = new ProcessCpu(settings.CpuOf);
        await clock.WaitUntilAsync(clock.MeasureStart, stop);
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var targetCpuAtStart = target.Read();
        await clock.WaitUntilAsync(clock.End, stop);
        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        var targetCpu = target.Read() - targetCpuAtStart;
        var measuredSeconds = clock.MeasuredSeconds;
        await progressStop.CancelAsync();
        await progress;

        // Every step has its own timeout, so the loops end within one cycle.
        await Task.WhenAll(loops);

        var measured = workers.Sum(worker => worker.MeasuredCycles);
        var handshakeHistogram = handshakes.Snapshot();
        var cycleHistogram = cycles.Snapshot();
        JsonReport.Write(json =>
        {
            json.WriteString("command", "handshakes");
            json.WriteString("client", connector.Name);
            json.WriteString("url", settings.Connection.UrlText);
            if (connector.NegotiatedTls is { } tls)
            {
                json.WriteString("tls", tls);
            }

            json.WriteNumber("concurrency", settings.Concurrency);
            json.WriteBoolean("message", settings.SendMessage);
            json.WriteNumber("size", settings.SendMessage ? settings.Size : 0);
            json.WriteRounded("warmupSeconds", settings.Warmup.TotalSeconds);
            json.WriteRounded("durationSeconds", measuredSeconds);
            json.WriteNumber("handshakes", measured);
            json.WriteRounded("handshakesPerSecond", measuredSeconds > 0 ? measured / measuredSeconds : 0, 1);
            json.WriteMilliseconds("handshake", handshakeHistogram, 50, 99, 99.9);
            json.WriteMilliseconds("cycle", cycleHistogram, 50, 99);
            json.WriteNumber("errors", errors.Total);
            json.WriteKinds("errorKinds", errors);
            json.WriteRounded("clientCpuSeconds", cpu.TotalSeconds);
            if (!target.IsEmpty)
            {
                json.WriteRounded("targetCpuSeconds", targetCpu.TotalSeconds);
            }
        });

        return measured == 0 ? ExitCodes.NothingSucceeded : ExitCodes.Success;
    }
}
