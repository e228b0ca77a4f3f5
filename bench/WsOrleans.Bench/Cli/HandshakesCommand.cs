using System.CommandLine;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Cli;

/// <summary><c>handshakes</c>: workers that connect, optionally echo once, and close, in a loop.</summary>
internal static class HandshakesCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Workers, each with one connection at a time.",
            DefaultValueFactory = _ => 50,
            CustomParser = ValueParsers.IntInRange(1, 100_000),
        };
        var duration = DurationOptions.Create("--duration", "The measured window, after the warm-up.", TimeSpan.FromSeconds(10), positive: true);
        var warmup = DurationOptions.Create("--warmup", "Cycles before the measured window, not counted.", TimeSpan.FromSeconds(2));
        var message = new Option<bool>("--message")
        {
            Description = "Echo one binary message on each connection before closing it.",
        };
        var size = new Option<int>("--size")
        {
            Description = "The size of that message in bytes.",
            DefaultValueFactory = _ => 32,
            CustomParser = ValueParsers.IntInRange(0, 16 * 1024 * 1024),
        };
        var cpuOf = CpuOfOption.Create();

        var command = new Command("handshakes", "Connect, (echo once,) close, in a loop: handshakes per second and their latency.");
        connection.AddTo(command);
        command.Add(concurrency);
        command.Add(duration);
        command.Add(warmup);
        command.Add(message);
        command.Add(size);
        command.Add(cpuOf);
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync("handshakes", () => HandshakeScenario.RunAsync(
            new HandshakeSettings
            {
                Connection = connection.Read(result),
                Concurrency = result.GetValue(concurrency),
                Duration = result.GetValue(duration),
                Warmup = result.GetValue(warmup),
                SendMessage = result.GetValue(message),
                Size = result.GetValue(size),
                CpuOf = result.GetValue(cpuOf) ?? [],
            },
            cancellationToken)));
        return command;
    }
}
