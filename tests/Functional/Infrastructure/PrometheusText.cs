using System.Globalization;
using System.Text.RegularExpressions;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Reads samples out of a management listener's <c>/metrics</c> (Prometheus text).</summary>
internal static partial class PrometheusText
{
    private static readonly HttpClient Http = new();

    public static Task<string> ScrapeAsync(Uri management, CancellationToken cancellationToken = default) =>
        Http.GetStringAsync(new Uri(management, "/metrics"), cancellationToken);

    /// <summary>The sum of the samples of <paramref name="metric"/> that have every one of <paramref name="labels"/> (comma-separated, any order); 0 when there are none.</summary>
    public static double Value(string text, string metric, string labels = "") => Sample().Matches(text)
        .Where(m => m.Groups["name"].Value == metric && labels.Split(',', StringSplitOptions.RemoveEmptyEntries).All(label => m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
        .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
