using System.Text.Json;

namespace WsOrleans.Cli.Output;

/// <summary>A pool entry's strategy in words: "Hash on query:room", "Sticky on cookie:s", "LeastConnections", "RoundRobin, cookie affinity (srv)".</summary>
internal static class PoolText
{
    public static string Strategy(JsonElement pool)
    {
        var strategy = JsonText.Field(pool, "strategy");
        var key = JsonText.Field(pool, "hashKey") is var hash && hash != JsonText.None ? hash : JsonText.Field(pool, "affinityKey");
        var described = key == JsonText.None ? strategy : $"{strategy} on {key}";
        return JsonText.Field(pool, "affinityCookie") is var cookie && cookie != JsonText.None ? $"{described}, cookie affinity ({cookie})" : described;
    }
}
