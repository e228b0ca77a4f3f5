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
        reader.RejectUnknownKeys(section, "AllowedOrigins", "MaxConnectionsPerAddress", "HandshakesPerSecond", "HandshakeBurst", "RequestsPerSecond", "RequestBurst");
        var (handshakes, handshakeBurst) = ReadRate(reader, section, "HandshakesPerSecond", "HandshakeBurst", "handshakes");
        var (requests, requestBurst) = ReadRate(reader, section, "RequestsPerSecond", "RequestBurst", "plain HTTP requests");
        return new AdmissionSettings
        {
            AllowedOrigins = [.. ReadOrigins(reader, section.GetSection("AllowedOrigins"))],
            MaxConnectionsPerAddress = reader.Int(section, "MaxConnectionsPerAddress", 0, 0, MaxLimit),
            HandshakesPerSecond = handshakes,
            HandshakeBurst = handshakeBurst,
            RequestsPerSecond = requests,
            RequestBurst = requestBurst,
        };
    }

    /// <summary>A per-address rate and its burst (the token bucket's size: the rate rounded up unless given).</summary>
    private static (double Rate, int Burst) ReadRate(ConfigValueReader reader, IConfigurationSection section, string rateKey, string burstKey, string what)
    {
        var rate = ReadRate(reader, section.GetSection(rateKey), what);
        var burst = reader.Int(section, burstKey, 0, 1, MaxLimit);
        if (burst > 0 && rate == 0)
        {
            reader.Error(section.GetSection(burstKey), $"needs {rateKey}: a burst is the size of the rate's token bucket");
        }

        return (rate, rate == 0 ? 0 : burst > 0 ? burst : (int)Math.Ceiling(rate));
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

    private static double ReadRate(ConfigValueReader reader, IConfigurationSection section, string what)
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

        reader.Error(section, $"must be a number of {what} per second from 0.001 to {MaxLimit} (e.g. 10 or 0.5), or 0 for no limit");
        return 0;
    }
}
