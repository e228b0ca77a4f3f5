using System.CommandLine;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Cli;

/// <summary><c>hold</c>: open N idle connections, say when they are ready, hold them, close them.</summary>
internal static class HoldCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var connections = new Option<int>("--connections")
        {
            Description = "Idle connections to open and hold.",
            DefaultValueFactory = _ => 1000,
            CustomParser = ValueParsers.IntInRange(1, 1_000_000),
        };
        var connectRate = DurationOptions.ConnectRate(1000);
        var holdFor = DurationOptions.Create("--hold-for", "How long to hold once all are open; 0 holds until stdin closes or SIGTERM.", TimeSpan.FromSeconds(60));
        var readyFile = new Option<string>("--ready-file")
        {
            Description = "A file to write the ready line to once all connections are open.",
            HelpName = "path",
        };

        var command = new Command("hold", "Open N idle connections and hold them, to measure a proxy's memory per connection.");
        connection.AddTo(command);
        command.Add(connections);
        command.Add(connectRate);
        command.Add(holdFor);
        command.Add(readyFile);
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync("hold", () => HoldScenario.RunAsync(
            new HoldSettings
            {
                Connection = connection.Read(result),
                Connections = result.GetValue(connections),
                ConnectRate = result.GetValue(connectRate),
                HoldFor = result.GetValue(holdFor),
                ReadyFile = result.GetValue(readyFile),
            },
            cancellationToken)));
        return command;
    }
}
