namespace WsOrleans.Pools;

/// <summary>What the pool registry persists: every pool's route, by pool name.</summary>
[GenerateSerializer, Alias("wsorleans.registry-state")]
public sealed class RegistryState
{
    [Id(0)] public Dictionary<string, PoolRoute> Routes { get; set; } = [];
}
