using System.Globalization;
using Microsoft.Extensions.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads <c>WsOrleans:Pools:&lt;name&gt;:Rebalance</c> and <c>SlowStart</c>: how a pool moves live connections.</summary>
internal static class RebalanceReader
{
    /// <summary>The largest tolerance: a backend at eleven times its share.</summary>
    public const double MaxTolerance = 10;

    /// <summary>The longest slow start.</summary>
    public static readonly TimeSpan MaxSlowStart = TimeSpan.FromHours(1);

    public static RebalanceSettings Read(ConfigValueReader reader, IConfigurationSection section, string strategy)
    {
        reader.RejectUnknownKeys(section, "Enabled", "Tolerance", "MaxClosesPerSecond");
        var settings = new RebalanceSettings
        {
            Enabled = reader.Bool(section, "Enabled", false),
            Tolerance = ReadTolerance(reader, section.GetSection("Tolerance")),
            MaxClosesPerSecond = reader.Int(section, "MaxClosesPerSecond", RebalanceSettings.DefaultMaxClosesPerSecond, 1, 100_000),
        };
        if (settings.Enabled && strategy != StrategyNames.LeastConnections && strategy != StrategyNames.RoundRobin)
        {
            reader.Error(
                section.GetSection("Enabled"),
                $"works with the LeastConnections and RoundRobin strategies only: the {strategy} strategy sends a client back to the same backend, so closing its connections would not move them");
        }

        return settings;
    }

    public static TimeSpan ReadSlowStart(ConfigValueReader reader, IConfigurationSection pool) =>
        reader.Duration(pool, "SlowStart", TimeSpan.Zero, TimeSpan.Zero, MaxSlowStart);

    private static double ReadTolerance(ConfigValueReader reader, IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return RebalanceSettings.DefaultTolerance;
        }

        if (double.TryParse(section.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var tolerance) && tolerance <= MaxTolerance)
        {
            return tolerance;
        }

        reader.Error(section, $"must be a fraction of a backend's share from 0 to {MaxTolerance} (e.g. 0.1: act when a backend holds more than 110% of its share)");
        return RebalanceSettings.DefaultTolerance;
    }
}
