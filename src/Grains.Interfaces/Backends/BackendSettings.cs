namespace WsOrleans.Backends;

/// <summary>One backend WebSocket server of a pool.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-settings")]
public sealed record class BackendSettings
{
    /// <summary>The backend's id, unique within its pool.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The backend's address, <c>ws://host:port</c> or <c>wss://host:port</c>, optionally with a path prefix.</summary>
    [Id(1)] public required string Address { get; init; }

    /// <summary>Relative share of connections. The default is 1.</summary>
    [Id(2)] public int Weight { get; init; } = 1;

    /// <summary>Cap on live connections across all edges; 0 (the default) means no cap.</summary>
    [Id(3)] public int MaxConnections { get; init; }
}
