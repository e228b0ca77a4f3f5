using System.Text.Json;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// Reads the fields of one JSON object the way configuration reads a section: each bad field adds one
/// <see cref="ConfigurationError"/> naming the field, the value and what is allowed, and reading goes on,
/// so one answer lists every mistake. Field names match ignoring case; unknown and repeated ones are errors.
/// A field that is absent or <c>null</c> takes its default.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConfigurationError> _errors;
    private readonly string _prefix;

    private JsonFields(List<ConfigurationError> errors, string prefix)
    {
        _errors = errors;
        _prefix = prefix;
    }

    /// <summary>The fields of <paramref name="value"/>, which must be an object whose fields are among <paramref name="known"/>.</summary>
    /// <param name="value">The JSON value.</param>
    /// <param name="name">The value's field name, for errors; <c>body</c> for the whole body.</param>
    /// <param name="errors">Where errors are added.</param>
    /// <param name="known">The field names the object may have, as documented.</param>
    public static JsonFields Read(JsonElement value, string name, List<ConfigurationError> errors, params string[] known)
    {
        var prefix = name == "body" ? "" : name + ".";
        var fields = new JsonFields(errors, prefix) { IsObject = value.ValueKind == JsonValueKind.Object };
        if (!fields.IsObject)
        {
            errors.Add(new(name, value.GetRawText(), $"must be a JSON object with the fields {string.Join(", ", known)}"));
            return fields;
        }

        foreach (var property in value.EnumerateObject())
        {
            var canonical = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                errors.Add(new(prefix + property.Name, null, $"unknown field; {(prefix.Length == 0 ? "the body" : name)} takes {string.Join(", ", known)}"));
            }
            else if (!fields._fields.TryAdd(canonical, property.Value))
            {
                errors.Add(new(prefix + canonical, null, "given more than once"));
            }
        }

        return fields;
    }

    /// <summary>Whether the value was an object; when it was not, that is the one error reported about it.</summary>
    public bool IsObject { get; private init; }

    /// <summary>Whether the field is given with a value other than <c>null</c>.</summary>
    public bool Has(string name) => _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The field's string; null when it is absent. Another JSON type adds an error saying <paramref name="allowed"/>.</summary>
    public string? String(string name, string allowed)
    {
        if (!Has(name))
        {
            return null;
        }

        var value = _fields[name];
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Error(name, value.GetRawText(), allowed);
        return null;
    }

    /// <summary>The field's whole number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when absent or bad.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        if (!Has(name))
        {
            return fallback;
        }

        // A number only: "3" is a string, and configuration-style leniency would hide a client's bug.
        var value = _fields[name];
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        Error(name, value.GetRawText(), ValueRules.WholeNumber(min, max));
        return fallback;
    }

    /// <summary>The fields of the nested object <paramref name="name"/>; null when it is absent.</summary>
    public JsonFields? Object(string name, params string[] known) =>
        Has(name) ? Read(_fields[name], _prefix + name, _errors, known) : null;

    /// <summary>Adds an error about the field <paramref name="name"/> of this object.</summary>
    public void Error(string name, string? value, string allowed) => _errors.Add(new(_prefix + name, value, allowed));
}
