using System.CommandLine.Parsing;
using System.Globalization;

namespace WsOrleans.Cli.Commands;

/// <summary>Parsers for option values, with errors in the form <c>--option = 'value': what is allowed</c>.</summary>
internal static class ValueParsers
{
    /// <summary><c>--timeout</c>: seconds, above 0 and at most an hour.</summary>
    public static double Seconds(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600)
        {
            return seconds;
        }

        result.AddError($"--timeout = '{text}': must be a number of seconds above 0 and at most 3600, e.g. 15 or 0.5.");
        return default;
    }

    /// <summary>A whole number; its range is the edge's to check, so its message is the same as for configuration.</summary>
    public static int? WholeNumber(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name} = '{text}': must be a whole number.");
        return null;
    }

    /// <summary>
    /// A duration as an operator types it: <c>30s</c>, <c>5m</c>, <c>1h</c>, or <c>hh:mm:ss</c>; its range is the
    /// edge's to check. Returns it as <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>), the form the admin API takes.
    /// </summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        if (scale > 0 && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount is >= 0 and <= 86_400)
        {
            return TimeSpan.FromSeconds(amount * scale);
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name} = '{text}': must be a duration such as 30s, 5m, 1h or 00:00:30.");
        return null;
    }
}
