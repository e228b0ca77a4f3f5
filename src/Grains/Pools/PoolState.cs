namespace WsOrleans.Pools;

/// <summary>What a routing grain persists: its settings, its members and what configuration last seeded it.</summary>
[GenerateSerializer, Alias("wsorleans.pool-state")]
public sealed class PoolState
{
    [Id(0)] public PoolSettings? Settings { get; set; }

    /// <summary>Member backend ids in configuration order; each backend grain holds its own settings.</summary>
    [Id(1)] public List<string> Members { get; set; } = [];

    /// <summary>The definition last seeded; seeding it again is a no-op, so run-time changes survive restarts.</summary>
    [Id(2)] public PoolDefinition? Seeded { get; set; }

    [Id(3)] public int Version { get; set; }

    /// <summary>The secret that signs the pool's affinity cookies (base64); made on first use and never changed.</summary>
    [Id(4)] public string? AffinitySigningKey { get; set; }
}
