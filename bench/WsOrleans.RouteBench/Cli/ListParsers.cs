using System.Collections.Immutable;
using System.CommandLine.Parsing;
using System.Globalization;

namespace WsOrleans.RouteBench.Cli;

/// <summary>Parsers for comma-separated option values: <c>1,16,64,256</c>, <c>cohosted,loopback</c>.</summary>
internal static class ListParsers
{
    /// <summary>Whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, in the order given.</summary>
    public static Func<ArgumentResult, ImmutableArray<int>> Ints(int minimum, int maximum) => result =>
    {
        var values = ImmutableArray.CreateBuilder<int>();
        foreach (var part in Parts(result))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                values.Add(value);
            }
            else
            {
                result.AddError($"{OptionName(result)} has '{part}'; each value must be a whole number from {minimum} to {maximum}.");
            }
        }

        return values.ToImmutable();
    };

    /// <summary>Names from <paramref name="allowed"/> (matched ignoring case, returned in their canonical spelling).</summary>
    public static Func<ArgumentResult, ImmutableArray<string>> Names(IReadOnlyList<string> allowed) => result =>
    {
        var values = ImmutableArray.CreateBuilder<string>();
        foreach (var part in Parts(result))
        {
            if (allowed.FirstOrDefault(a => string.Equals(a, part, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                values.Add(name);
            }
            else
            {
                result.AddError($"{OptionName(result)} has '{part}'; each value must be one of {string.Join(", ", allowed)}.");
            }
        }

        return values.ToImmutable();
    };

    private static IEnumerable<string> Parts(ArgumentResult result)
    {
        var parts = result.Tokens
            .SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (parts.Count == 0)
        {
            result.AddError($"{OptionName(result)} needs at least one value.");
        }

        return parts;
    }

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
