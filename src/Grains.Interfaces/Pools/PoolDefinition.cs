using System.Collections.Immutable;
using WsOrleans.Backends;

namespace WsOrleans.Pools;

/// <summary>A pool as written in configuration: its settings and its backends. Seeds the grains.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.pool-definition")]
public sealed record class PoolDefinition(
    [property: Id(0)] PoolSettings Settings,
    [property: Id(1)] ImmutableArray<BackendSettings> Backends)
{
    /// <summary>Equal when the settings and the backends (in order) are equal.</summary>
    public bool Equals(PoolDefinition? other) =>
        other is not null && Settings == other.Settings && Backends.SequenceEqual(other.Backends);

    public override int GetHashCode() => Settings.GetHashCode();
}
