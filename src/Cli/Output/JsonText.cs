using System.Text.Json;

namespace WsOrleans.Cli.Output;

/// <summary>Reads fields of the edge's JSON as text for people; a field a newer or older edge lacks reads as "-".</summary>
internal static class JsonText
{
    public const string None = "-";

    public static string Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Scalar(value) : None;

    /// <summary>A string as is, a number or boolean as JSON writes it; null, objects and arrays as "-".</summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : None,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => None,
    };

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
