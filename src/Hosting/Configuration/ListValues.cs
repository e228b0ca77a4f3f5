using Microsoft.Extensions.Configuration;

namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// Reads a list written either as one value separated by ',' or ';' (command line, environment) or as
/// an array (appsettings.json: <c>Key:0</c>, <c>Key:1</c>, …).
/// </summary>
internal static class ListValues
{
    /// <summary>Each item with the key it came from, trimmed; empty items are skipped.</summary>
    public static IEnumerable<(string Key, string Value)> Read(IConfigurationSection section)
    {
        if (section.Value is { } joined)
        {
            foreach (var item in joined.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return (section.Path, item);
            }
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Value is { } value && value.Trim() is { Length: > 0 } item)
            {
                yield return (child.Path, item);
            }
        }
    }
}
