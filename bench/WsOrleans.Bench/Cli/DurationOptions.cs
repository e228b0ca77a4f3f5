using System.CommandLine;

namespace WsOrleans.Bench.Cli;

/// <summary>Option factories shared by the timed commands.</summary>
internal static class DurationOptions
{
    public static Option<TimeSpan> Create(string name, string description, TimeSpan defaultValue, bool positive = false) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = positive ? ValueParsers.PositiveDuration : ValueParsers.Duration,
        HelpName = "duration",
    };

    public static Option<double> ConnectRate(double defaultValue) => new("--connect-rate")
    {
        Description = "New connections per second at most: 500/s, 30000/m, or unlimited.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = ValueParsers.Rate,
        HelpName = "rate",
    };
}
