namespace WsOrleans;

/// <summary>The grain storage providers WsOrleans grains persist to.</summary>
public static class StorageNames
{
    /// <summary>Pool, backend and registry state: configuration that must survive restarts.</summary>
    public const string Configuration = "wsorleans";
}
