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
}
