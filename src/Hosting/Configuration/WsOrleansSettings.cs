using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Everything under the <c>WsOrleans</c> configuration section, validated.</summary>
public sealed record class WsOrleansSettings
{
    /// <summary>The configuration section this reads.</summary>
    public const string SectionName = "WsOrleans";

    public ClusterSettings Cluster { get; init; } = new();

    public ManagementSettings Management { get; init; } = new();

    public EdgeSettings Edge { get; init; } = new();

    /// <summary>The pools this process seeds into the cluster; may be empty.</summary>
    public ImmutableArray<PoolDefinition> Pools { get; init; } = [];

    /// <summary>
    /// Reads and validates the <c>WsOrleans</c> section. Throws
    /// <see cref="WsOrleansConfigurationException"/> naming every bad key at once.
    /// </summary>
    public static WsOrleansSettings Load(IConfiguration configuration)
    {
        var settings = SettingsReader.Read(configuration, out var errors);
        return errors.Count == 0 ? settings : throw new WsOrleansConfigurationException(errors);
    }
}
