using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using WsOrleans.Backends;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads a pool's <c>Backends</c> array.</summary>
internal static class BackendsReader
{
    /// <summary>The largest weight a backend may have.</summary>
    public const int MaxWeight = 10_000;

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
        var address = ParseAddress(addressSection.Value);
        if (address is null)
        {
            reader.Error(addressSection, "must be a ws:// or wss:// address with a host, e.g. ws://127.0.0.1:5001, without a query or user name");
        }

        var id = ReadId(reader, section, address);
        var weight = reader.Int(section, "Weight", 1, 1, MaxWeight);
        var maxConnections = reader.Int(section, "MaxConnections", 0, 0, int.MaxValue);
        return address is null
            ? null
            : new BackendSettings { Id = id, Address = address.AbsoluteUri.TrimEnd('/'), Weight = weight, MaxConnections = maxConnections };
    }

    /// <summary>The backend's id; by default its address's host and port, e.g. <c>127.0.0.1:5001</c>.</summary>
    private static string ReadId(ConfigValueReader reader, IConfigurationSection backend, Uri? address)
    {
        var section = backend.GetSection("Id");
        if (section.Value is null)
        {
            return address is null ? backend.Key : $"{address.Host}:{address.Port}";
        }

        var valid = section.Value.Length is > 0 and <= 100
            && section.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '[' or ']');
        if (!valid)
        {
            reader.Error(section, "must be 1 to 100 letters, digits, '.', '_', '-', ':', '[' or ']'");
        }

        return section.Value;
    }

    /// <summary>Parses a backend address; null when it is not an absolute ws:// or wss:// URI with a host.</summary>
    internal static Uri? ParseAddress(string? text)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("ws" or "wss")
            || uri.Host.Length == 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri;
    }
}
