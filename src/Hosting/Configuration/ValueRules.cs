using System.Globalization;

namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// The generic rules of WsOrleans values (whole numbers, durations), shared by configuration and the
/// admin API so both accept the same values and say the same thing about a bad one.
/// </summary>
public static class ValueRules
{
    /// <summary>What a whole number from <paramref name="min"/> to <paramref name="max"/> must be, for error messages.</summary>
    public static string WholeNumber(int min, int max) => $"must be a whole number from {min} to {max}";

    /// <summary>What a duration from <paramref name="min"/> to <paramref name="max"/> must be, for error messages.</summary>
    public static string Duration(TimeSpan min, TimeSpan max) => $"must be a duration (hh:mm:ss, e.g. 00:00:02) from {min:c} to {max:c}";

    /// <summary>
    /// Parses a duration written <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>) within [<paramref name="min"/>, <paramref name="max"/>].
    /// A bare number is refused: <see cref="TimeSpan"/> would read "1" as one day.
    /// </summary>
    public static bool TryParseDuration(string? text, TimeSpan min, TimeSpan max, out TimeSpan value)
    {
        value = default;
        return text is not null
            && text.Contains(':')
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value)
            && value >= min
            && value <= max;
    }
}
