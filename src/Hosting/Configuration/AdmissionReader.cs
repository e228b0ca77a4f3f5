using System.Globalization;
using Microsoft.Extensions.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads <c>WsOrleans:Pools:&lt;name&gt;:Admission</c>: allowed origins and per-address limits.</summary>
internal static class AdmissionReader
{
    /// <summary>The largest per-address cap, rate and burst accepted.</summary>
    public const int MaxLimit = 1_000_000;

    public static AdmissionSettings Read(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "AllowedOrigins", "MaxConnectionsPerAddress", "HandshakesPerSecond", "HandshakeBurst");
        var rate = ReadRate(reader, section.GetSection("HandshakesPerSecond"));
        var burst = reader.Int(section, "HandshakeBurst", 0, 1, MaxLimit);
        if (burst > 0 && rate == 0)
        {
            reader.Error(section.GetSection("HandshakeBurst"), "needs HandshakesPerSecond: a burst is the size of the rate's token bucket");
        }

        return new AdmissionSettings
        {
            AllowedOrigins = [.. ReadOrigins(reader, section.GetSection("AllowedOrigins"))],
            MaxConnectionsPerAddress = reader.Int(section, "MaxConnectionsPerAddress", 0, 0, MaxLimit),
            HandshakesPerSecond = rate,
            HandshakeBurst = rate == 0 ? 0 : burst > 0 ? burst : (int)Math.Ceiling(rate),
        };
    }

    private static IEnumerable<string> ReadOrigins(ConfigValueReader reader, IConfigurationSection section)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in ListValues.Read(section))
        {
            if (OriginRules.Normalize(value) is not { } origin)
            {
                reader.Error(key, value, OriginRules.Allowed);
            }
            else if (seen.Add(origin))
            {
                yield return origin;
            }
        }
    }

    private static double ReadRate(ConfigValueReader reader, IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return 0;
        }

        if (double.TryParse(section.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate)
            && (rate == 0 || (rate >= 0.001 && rate <= MaxLimit)))
        {
            return rate;
        }

        reader.Error(section, $"must be a number of handshakes per second from 0.001 to {MaxLimit} (e.g. 10 or 0.5), or 0 for no limit");
        return 0;
    }
}
