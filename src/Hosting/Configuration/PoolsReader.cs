using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads <c>WsOrleans:Pools:&lt;name&gt;</c> sections into pool definitions.</summary>
internal static class PoolsReader
{
    public static ImmutableArray<PoolDefinition> Read(ConfigValueReader reader, IConfigurationSection pools)
    {
        reader.RejectValue(pools, $"must be a section with one section per pool, e.g. {pools.Path}:default:Path=/ws, not a value");
        var result = ImmutableArray.CreateBuilder<PoolDefinition>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in pools.GetChildren())
        {
            if (!SettingsReader.IsIdentifier(section.Key))
            {
                reader.Error(section.Path, null, $"the pool name '{section.Key}' must be 1 to 100 letters, digits, '.', '_' or '-'");
                continue;
            }

            // A bad path is reported once, not also as a clash of the default path it falls back to.
            var path = ReadPath(reader, section);
            if (path is not null && !paths.TryAdd(path, section.Key))
            {
                reader.Error($"{section.Path}:Path", path, $"pool '{paths[path]}' already uses this path; each pool needs its own");
            }

            result.Add(ReadPool(reader, section, path ?? PoolSettings.DefaultPath));
        }

        return result.ToImmutable();
    }

    private static PoolDefinition ReadPool(ConfigValueReader reader, IConfigurationSection section, string path)
    {
        reader.RejectUnknownKeys(section, "Path", "Strategy", "HashKey", "Affinity", "Http", "Rebalance", "SlowStart", "DegradedRouting", "HealthCheck", "BackendTls", "Admission", "Backends");
        var strategy = ReadStrategy(reader, section);
        var settings = new PoolSettings
        {
            Name = section.Key,
            Path = path,
            Strategy = strategy,
            HashKey = ReadHashKey(reader, section),
            Affinity = ReadAffinity(reader, section.GetSection("Affinity")),
            HealthCheck = ReadHealthCheck(reader, section.GetSection("HealthCheck")),
            BackendTls = ReadBackendTls(reader, section.GetSection("BackendTls")),
            Admission = AdmissionReader.Read(reader, section.GetSection("Admission")),
            Http = reader.Enum(section, "Http", PoolHttpMode.Forward),
            Rebalance = RebalanceReader.Read(reader, section.GetSection("Rebalance"), strategy),
            SlowStart = RebalanceReader.ReadSlowStart(reader, section),
            DegradedRouting = reader.Bool(section, "DegradedRouting", true),
        };

        // A key that was written but is bad has been reported already.
        if (StrategyRules.LacksHashKey(settings.Strategy, settings.HashKey) && section["HashKey"] is null)
        {
            reader.Error($"{section.Path}:HashKey", null, StrategyRules.HashKeyRequired);
        }

        if (StrategyRules.LacksAffinity(settings.Strategy, settings.Affinity) && section["Affinity:Key"] is null && section["Affinity:Cookie"] is null)
        {
            reader.Error($"{section.Path}:Affinity:Key", null, StrategyRules.AffinityKeyRequired);
        }
        else if (settings.Strategy == StrategyNames.Sticky && settings.Affinity is { Key: null, Cookie: not null })
        {
            reader.Error($"{section.Path}:Affinity:Cookie", settings.Affinity.Cookie, $"does not work with the Sticky strategy, which binds Affinity:Key ({StrategyRules.AffinityKeyForms}); use Affinity:Key, or another strategy with the cookie");
        }

        return new PoolDefinition(settings, BackendsReader.Read(reader, section.GetSection("Backends")));
    }

    private static BackendTlsSettings ReadBackendTls(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "CaFile", "SkipCertificateValidation");
        var caFile = section["CaFile"] is { Length: > 0 } path ? path : null;
        if (caFile is not null && !File.Exists(caFile))
        {
            reader.Error(section.GetSection("CaFile"), "must be the path of a PEM file of CA certificates that exists on this machine");
        }

        return new BackendTlsSettings
        {
            CaFile = caFile,
            SkipCertificateValidation = reader.Bool(section, "SkipCertificateValidation", false),
        };
    }

    /// <summary>The pool's path, trimmed; null when it is bad (and reported).</summary>
    private static string? ReadPath(ConfigValueReader reader, IConfigurationSection pool)
    {
        var section = pool.GetSection("Path");
        if (section.Value is null)
        {
            return PoolSettings.DefaultPath;
        }

        var path = section.Value.Trim();
        var valid = path.StartsWith('/')
            && !path.Contains("//", StringComparison.Ordinal)
            && !path.Split('/').Any(segment => segment is "." or "..")
            && path.All(c => c > ' ' && c < 0x7f && c is not ('?' or '#' or '%' or '\\'));
        if (!valid)
        {
            reader.Error(section, "must be a path that starts with '/', e.g. /ws, without a query, '..', '//', '%' or spaces");
            return null;
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static string ReadStrategy(ConfigValueReader reader, IConfigurationSection pool)
    {
        var section = pool.GetSection("Strategy");
        if (section.Value is null)
        {
            return StrategyNames.LeastConnections;
        }

        var name = StrategyRules.ParseStrategy(section.Value);
        if (name is null)
        {
            reader.Error(section, StrategyRules.StrategyAllowed);
            return StrategyNames.LeastConnections;
        }

        return name;
    }

    private static RequestKey? ReadHashKey(ConfigValueReader reader, IConfigurationSection pool)
    {
        var section = pool.GetSection("HashKey");
        if (section.Value is null)
        {
            return null;
        }

        if (StrategyRules.ParseHashKey(section.Value) is { } key)
        {
            return key;
        }

        reader.Error(section, StrategyRules.HashKeyAllowed);
        return null;
    }

    /// <summary>The pool's affinity: a Sticky key or a cookie name (not both), or null when it names neither (a TTL alone is no affinity).</summary>
    private static AffinitySettings? ReadAffinity(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Key", "Cookie", "Ttl");
        var ttl = reader.Duration(section, "Ttl", AffinitySettings.DefaultTtl, StrategyRules.MinAffinityTtl, StrategyRules.MaxAffinityTtl);
        var keySection = section.GetSection("Key");
        var cookieSection = section.GetSection("Cookie");
        var key = keySection.Value is null ? null : StrategyRules.ParseAffinityKey(keySection.Value);
        if (keySection.Value is not null && key is null)
        {
            reader.Error(keySection, StrategyRules.AffinityKeyAllowed);
        }

        var cookie = cookieSection.Value is null ? null : StrategyRules.ParseAffinityCookie(cookieSection.Value);
        if (cookieSection.Value is not null && cookie is null)
        {
            reader.Error(cookieSection, StrategyRules.AffinityCookieAllowed);
        }

        if (keySection.Value is not null && cookieSection.Value is not null)
        {
            reader.Error(cookieSection, StrategyRules.OneAffinity);
            return null;
        }

        return key is null && cookie is null ? null : new AffinitySettings { Key = key, Cookie = cookie, Ttl = ttl };
    }

    private static HealthCheckSettings ReadHealthCheck(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Mode", "Path", "Interval", "Timeout", "UnhealthyThreshold", "HealthyThreshold");
        var defaults = new HealthCheckSettings();
        var path = reader.String(section, "Path", defaults.Path);
        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace))
        {
            reader.Error(section.GetSection("Path"), "must be a path that starts with '/', e.g. /health");
            path = defaults.Path;
        }

        return new HealthCheckSettings
        {
            Mode = reader.Enum(section, "Mode", defaults.Mode),
            Path = path,
            Interval = reader.Duration(section, "Interval", defaults.Interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            Timeout = reader.Duration(section, "Timeout", defaults.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
            UnhealthyThreshold = reader.Int(section, "UnhealthyThreshold", defaults.UnhealthyThreshold, 1, 100),
            HealthyThreshold = reader.Int(section, "HealthyThreshold", defaults.HealthyThreshold, 1, 100),
        };
    }
}
