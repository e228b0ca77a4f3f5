using System.Text.Json;

namespace WsOrleans.Edge.Management;

/// <summary>How the management listener writes JSON: camelCase names, indented for people reading it with curl.</summary>
internal static class ManagementJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
