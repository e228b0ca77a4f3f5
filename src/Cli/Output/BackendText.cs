using System.Text.Json;

namespace WsOrleans.Cli.Output;

/// <summary>One backend entry (as <c>/status</c> and the admin API show it) in words and in table cells.</summary>
internal static class BackendText
{
    public static readonly string[] Headers = ["ID", "ADDRESS", "WEIGHT", "HEALTH", "STATE", "CONNECTIONS", "MAX", "TOTAL"];

    public static string[] Cells(JsonElement backend) =>
    [
        JsonText.Field(backend, "id"),
        JsonText.Field(backend, "address"),
        JsonText.Field(backend, "weight"),
        JsonText.Field(backend, "health"),
        JsonText.Field(backend, "adminState"),
        JsonText.Field(backend, "connections"),
        MaxConnections(backend),
        JsonText.Field(backend, "totalConnections"),
    ];

    /// <summary>"ws://127.0.0.1:5001, weight 2, max 500 connections, healthy, draining, 3 connections".</summary>
    public static string Describe(JsonElement backend) =>
        $"{JsonText.Field(backend, "address")}, weight {JsonText.Field(backend, "weight")}, "
        + (MaxConnections(backend) is var max && max == JsonText.None ? "no connection cap" : $"at most {max} connections")
        + $", health {JsonText.Field(backend, "health")}, {JsonText.Field(backend, "adminState")}, {JsonText.Field(backend, "connections")} live connections";

    /// <summary>0 is "no cap", shown as "-".</summary>
    private static string MaxConnections(JsonElement backend) =>
        JsonText.Field(backend, "maxConnections") is var max && max == "0" ? JsonText.None : max;
}
