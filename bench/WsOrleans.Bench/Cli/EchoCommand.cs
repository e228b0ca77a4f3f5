using System.CommandLine;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Cli;

/// <summary><c>echo</c>: N connections, each sending one message and waiting for its echo, in a loop.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var connections = new Option<int>("--connections")
        {
            Description = "Connections, each running its own send-and-wait loop.",
            DefaultValueFactory = _ => 200,
            CustomParser = ValueParsers.IntInRange(1, 1_000_000),
        };
        var size = new Option<int>("--size")
        {
            Description = "Binary message size in bytes.",
            DefaultValueFactory = _ => 32,
            CustomParser = ValueParsers.IntInRange(0, 16 * 1024 * 1024),
        };
        var duration = DurationOptions.Create("--duration", "The measured window, after the warm-up.", TimeSpan.FromSeconds(10), positive: true);
        var warmup = DurationOptions.Create("--warmup", "Round trips before the measured window, not counted.", TimeSpan.FromSeconds(2));
        var connectRate = DurationOptions.ConnectRate(0);
        var cpuOf = CpuOfOption.Create();

        var command = new Command("echo", "Closed-loop echo: throughput and round-trip latency over N connections.");
        connection.AddTo(command);
        command.Add(connections);
        command.Add(size);
        command.Add(duration);
        command.Add(warmup);
        command.Add(connectRate);
        command.Add(cpuOf);
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync("echo", () => EchoScenario.RunAsync(
            new EchoSettings
            {
                Connection = connection.Read(result),
                Connections = result.GetValue(connections),
                Size = result.GetValue(size),
                Duration = result.GetValue(duration),
                Warmup = result.GetValue(warmup),
                ConnectRate = result.GetValue(connectRate),
                CpuOf = result.GetValue(cpuOf) ?? [],
            },
            cancellationToken)));
        return command;
    }
}
