using System.CommandLine.Parsing;
using System.Globalization;

namespace WsOrleans.Bench.Cli;

/// <summary>Parsers and checks for option values: durations like <c>10s</c>, rates like <c>500/s</c>, ws URLs.</summary>
internal static class ValueParsers
{
    private static readonly (string Suffix, double Seconds)[] DurationUnits = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    /// <summary><c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, a bare number of seconds, or <c>hh:mm:ss</c>.</summary>
    public static TimeSpan Duration(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; use a number with ms, s, m or h (500ms, 10s, 2m) or hh:mm:ss.");
        return default;
    }

    /// <summary><c>500/s</c>, <c>30000/m</c>, a bare number per second, or <c>0</c> / <c>unlimited</c> for no cap (0).</summary>
    public static double Rate(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (text.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var perSecond = 1.0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? text : text[..slash];
        if (slash >= 0)
        {
            // "500/s" is 500 per one second: the unit after the slash is read as the duration "1s".
            perSecond = TryParseDuration("1" + text[(slash + 1)..], out var per) && per > TimeSpan.Zero ? 1 / per.TotalSeconds : double.NaN;
        }

        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) && count >= 0 && double.IsFinite(count * perSecond))
        {
            return count * perSecond;
        }

        result.AddError($"'{text}' is not a rate; use connections per second like 500/s or 500, per minute like 30000/m, or unlimited.");
        return default;
    }

    /// <summary>An absolute <c>ws://</c> or <c>wss://</c> URL.</summary>
    public static Uri[] WebSocketUrls(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var urls = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(part, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss")
            {
                urls.Add(url);
            }
            else
            {
                result.AddError($"'{part}' is not a WebSocket URL; use ws://host:port/path or wss://host:port/path.");
            }
        }

        if (urls.Count == 0 && !result.Tokens.Any())
        {
            result.AddError("--url needs at least one WebSocket URL.");
        }

        return [.. urls];
    }

    /// <summary>Process ids separated by commas: <c>123,456</c>.</summary>
    public static int[] ProcessIds(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                ids.Add(id);
            }
            else
            {
                result.AddError($"{OptionName(result)} has '{part}'; it takes process ids (whole numbers above 0) separated by commas.");
            }
        }

        return [.. ids];
    }

    /// <summary>A parser for whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Func<ArgumentResult, int> IntInRange(int minimum, int maximum) => result =>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} is '{text}'; it must be a whole number from {minimum} to {maximum}.");
        return default;
    };

    /// <summary>As <see cref="Duration"/>, but zero is refused.</summary>
    public static TimeSpan PositiveDuration(ArgumentResult result)
    {
        var value = Duration(result);
        if (value == TimeSpan.Zero && result.Tokens.Count == 1 && TryParseDuration(result.Tokens[0].Value, out _))
        {
            result.AddError($"{OptionName(result)} must be longer than zero.");
        }

        return value;
    }

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;

    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        foreach (var (suffix, seconds) in DurationUnits)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                return TryFromSeconds(count * seconds, out value);
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            return TryFromSeconds(bare, out value);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    private static bool TryFromSeconds(double seconds, out TimeSpan value)
    {
        value = default;
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
