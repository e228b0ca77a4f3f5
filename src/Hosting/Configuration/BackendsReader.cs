using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using WsOrleans.Backends;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads a pool's <c>Backends</c> array.</summary>
internal static class BackendsReader
{
    public static ImmutableArray<BackendSettings> Read(ConfigValueReader reader, IConfigurationSection backends)
    {
        reader.RejectValue(backends, $"must be a section of backends, e.g. {backends.Path}:0:Address=ws://127.0.0.1:5001, not a value");
        var result = ImmutableArray.CreateBuilder<BackendSettings>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ordered = backends.GetChildren()
            .OrderBy(s => int.TryParse(s.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .ThenBy(s => s.Key, StringComparer.Ordinal);
        foreach (var section in ordered)
        {
            var backend = ReadBackend(reader, section);
            if (backend is null)
            {
                continue;
            }

            // The address first: two backends on one address without ids also share the default id,
            // and the address is what the user wrote twice.
            if (addresses.TryGetValue(backend.Address, out var other))
            {
                reader.Error($"{section.Path}:Address", backend.Address, $"backend '{other}' of this pool has the same address");
            }
            else if (ids.Contains(backend.Id))
            {
                if (section["Id"] is null)
                {
                    reader.Error($"{section.Path}:Id", null, $"another backend of this pool has the same default id '{backend.Id}' (its address's host:port); set an Id on each");
                }
                else
                {
                    reader.Error($"{section.Path}:Id", backend.Id, "another backend of this pool has the same id; ids must be unique in a pool");
                }
            }
            else
            {
                ids.Add(backend.Id);
                addresses.Add(backend.Address, backend.Id);
                result.Add(backend);
            }
        }

        return result.ToImmutable();
    }

    private static BackendSettings? ReadBackend(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Id", "Address", "Weight", "MaxConnections");
        var addressSection = section.GetSection("Address");
        var address = BackendRules.ParseAddress(addressSection.Value);
        if (address is null)
        {
            reader.Error(addressSection, BackendRules.AddressAllowed);
        }

        var id = ReadId(reader, section, address);
        var weight = reader.Int(section, "Weight", 1, BackendRules.MinWeight, BackendRules.MaxWeight);
        var maxConnections = reader.Int(section, "MaxConnections", 0, 0, int.MaxValue);
        return address is null
            ? null
            : new BackendSettings { Id = id, Address = BackendRules.Normalize(address), Weight = weight, MaxConnections = maxConnections };
    }

    /// <summary>The backend's id; by default its address's host and port, e.g. <c>127.0.0.1:5001</c>.</summary>
    private static string ReadId(ConfigValueReader reader, IConfigurationSection backend, Uri? address)
    {
        var section = backend.GetSection("Id");
        if (section.Value is null)
        {
            return address is null ? backend.Key : BackendRules.DefaultId(address);
        }

        if (!BackendRules.IsId(section.Value))
        {
            reader.Error(section, BackendRules.IdAllowed);
        }

        return section.Value;
    }
}
