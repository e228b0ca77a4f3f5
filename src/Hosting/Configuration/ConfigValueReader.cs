using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// Reads typed values from configuration sections, collecting one <see cref="ConfigurationError"/>
/// per bad key (with the key's full path, the value and what is allowed) instead of throwing.
/// </summary>
internal sealed class ConfigValueReader
{
    private readonly List<ConfigurationError> _errors = [];

    public IReadOnlyList<ConfigurationError> Errors => _errors;

    public void Error(IConfigurationSection section, string allowed) => _errors.Add(new(section.Path, section.Value, allowed));

    public void Error(string key, string? value, string allowed) => _errors.Add(new(key, value, allowed));

    /// <summary>
    /// Reports a value written where a section of keys belongs (<c>Backends=ws://...</c>), which configuration
    /// would otherwise drop without a word. An empty value is no section: an empty JSON object or array gives one.
    /// </summary>
    public void RejectValue(IConfigurationSection section, string allowed)
    {
        if (!string.IsNullOrEmpty(section.Value))
        {
            Error(section, allowed);
        }
    }

    /// <summary>Reports a value on <paramref name="section"/> and every child whose name is not in <paramref name="known"/>.</summary>
    public void RejectUnknownKeys(IConfigurationSection section, params string[] known)
    {
        RejectValue(section, $"must be a section with the keys {string.Join(", ", known)}, not a value");
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add(new(child.Path, child.Value, $"unknown key; {section.Path} takes {string.Join(", ", known)}"));
            }
        }
    }

    public string String(IConfigurationSection parent, string key, string fallback) =>
        parent[key] ?? fallback;

    public int Int(IConfigurationSection parent, string key, int fallback, int min, int max)
    {
        var section = parent.GetSection(key);
        if (section.Value is null)
        {
            return fallback;
        }

        if (int.TryParse(section.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(section, ValueRules.WholeNumber(min, max));
        return fallback;
    }

    public TimeSpan Duration(IConfigurationSection parent, string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var section = parent.GetSection(key);
        if (section.Value is null)
        {
            return fallback;
        }

        if (ValueRules.TryParseDuration(section.Value, min, max, out var value))
        {
            return value;
        }

        Error(section, ValueRules.Duration(min, max));
        return fallback;
    }

    public bool Bool(IConfigurationSection parent, string key, bool fallback)
    {
        var section = parent.GetSection(key);
        if (section.Value is null)
        {
            return fallback;
        }

        if (bool.TryParse(section.Value, out var value))
        {
            return value;
        }

        Error(section, "must be true or false");
        return fallback;
    }

    public TEnum Enum<TEnum>(IConfigurationSection parent, string key, TEnum fallback)
        where TEnum : struct, Enum
    {
        var section = parent.GetSection(key);
        if (section.Value is null)
        {
            return fallback;
        }

        // Names only: "1" or "Tcp, Http" are not accepted even though Enum.TryParse would take them.
        var match = System.Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, section.Value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return System.Enum.Parse<TEnum>(match);
        }

        Error(section, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
        return fallback;
    }
}
