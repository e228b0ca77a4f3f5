using System.Net;
using Microsoft.Extensions.Configuration;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads the <c>WsOrleans</c> section into <see cref="WsOrleansSettings"/>, collecting every error.</summary>
internal static class SettingsReader
{
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    public static WsOrleansSettings Read(IConfiguration configuration, out IReadOnlyList<ConfigurationError> errors)
    {
        var reader = new ConfigValueReader();
        var root = configuration.GetSection(WsOrleansSettings.SectionName);
        reader.RejectUnknownKeys(root, "Cluster", "Management", "Edge", "Pools");

        var management = ReadManagement(reader, root.GetSection("Management"));
        var settings = new WsOrleansSettings
        {
            Cluster = ReadCluster(reader, root.GetSection("Cluster")),
            Management = management,
            Edge = ReadEdge(reader, root.GetSection("Edge")),
            Pools = PoolsReader.Read(reader, root.GetSection("Pools")),
        };
        errors = reader.Errors;
        return settings;
    }

    private static ClusterSettings ReadCluster(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Mode", "ServiceId", "ClusterId", "ConnectionString", "SiloPort", "GatewayPort", "PrimarySiloPort", "AdvertisedAddress", "Tls", "DashboardUrls");
        var defaults = new ClusterSettings();
        var cluster = new ClusterSettings
        {
            Mode = reader.Enum(section, "Mode", defaults.Mode),
            ServiceId = Identifier(reader, section, "ServiceId", defaults.ServiceId),
            ClusterId = Identifier(reader, section, "ClusterId", defaults.ClusterId),
            ConnectionString = reader.String(section, "ConnectionString", defaults.ConnectionString),
            SiloPort = reader.Int(section, "SiloPort", defaults.SiloPort, 1, 65535),
            GatewayPort = reader.Int(section, "GatewayPort", defaults.GatewayPort, 1, 65535),
            PrimarySiloPort = reader.Int(section, "PrimarySiloPort", defaults.PrimarySiloPort, 1, 65535),
            AdvertisedAddress = ReadAddress(reader, section.GetSection("AdvertisedAddress")),
            Tls = ClusterTlsReader.Read(reader, section.GetSection("Tls")),
            DashboardUrls = reader.String(section, "DashboardUrls", defaults.DashboardUrls).Trim(),
        };
        foreach (var url in cluster.DashboardUrlList)
        {
            ListenerUrl(reader, section.GetSection("DashboardUrls"), url, "http://127.0.0.1:9902");
        }

        if (cluster.Mode == ClusterMode.Redis && string.IsNullOrWhiteSpace(cluster.ConnectionString))
        {
            reader.Error($"{section.Path}:ConnectionString", null, "required in Redis mode: a StackExchange.Redis connection string, e.g. 127.0.0.1:6379");
        }
        else if (cluster.Mode == ClusterMode.Redis && !IsRedisConnectionString(cluster.ConnectionString))
        {
            reader.Error(section.GetSection("ConnectionString"), "must be a StackExchange.Redis connection string, e.g. 127.0.0.1:6379 or redis.example.com:6380,password=…,ssl=true");
        }

        return cluster;
    }

    private static IPAddress? ReadAddress(ConfigValueReader reader, IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return null;
        }

        if (IPAddress.TryParse(section.Value.Trim(), out var address))
        {
            return address;
        }

        reader.Error(section, "must be an IP address other silos and edges can reach, e.g. 10.0.0.5");
        return null;
    }

    private static bool IsRedisConnectionString(string text)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(text).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ManagementSettings ReadManagement(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Urls", "ApiKey", "CertificatePath", "KeyPath");
        var defaults = new ManagementSettings();
        var management = new ManagementSettings
        {
            Urls = reader.String(section, "Urls", defaults.Urls).Trim(),
            ApiKey = reader.String(section, "ApiKey", defaults.ApiKey),
            CertificatePath = PemCertificateRules.Path(section, "CertificatePath"),
            KeyPath = PemCertificateRules.Path(section, "KeyPath"),
        };

        var needsKey = false;
        string? https = null;
        foreach (var url in management.UrlList)
        {
            var uri = ListenerUrl(reader, section.GetSection("Urls"), url, ManagementSettings.DefaultUrls);
            if (uri is not null && !IsLoopback(uri) && string.IsNullOrWhiteSpace(management.ApiKey) && !needsKey)
            {
                needsKey = true;
                reader.Error($"{section.Path}:ApiKey", null, $"required because the management listener {url} is not on loopback");
            }

            https ??= uri?.Scheme == Uri.UriSchemeHttps ? url : null;
        }

        if (management.CertificatePath is { } certificate)
        {
            if (https is null)
            {
                reader.Error(section.GetSection("CertificatePath"), "is set, but no URL in Urls is https://: the certificate would not be used");
            }

            PemCertificateRules.Check(reader, section, certificate, management.KeyPath);
        }
        else if (https is not null)
        {
            reader.Error($"{section.Path}:CertificatePath", null, $"required because the management listener {https} is https: the listener's certificate, a PEM file (its key in KeyPath or the same file)");
        }
        else if (management.KeyPath is not null)
        {
            reader.Error($"{section.Path}:CertificatePath", null, "required when KeyPath is set: the listener's certificate, a PEM file");
        }

        return management;
    }

    /// <summary>One URL of a listener's <c>;</c>-separated list, parsed; null when it is bad (and reported).</summary>
    private static Uri? ListenerUrl(ConfigValueReader reader, IConfigurationSection section, string url, string example)
    {
        // Kestrel's wildcard hosts ("*", "+") listen on every interface.
        var parsed = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (Uri.TryCreate(parsed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/")
        {
            return uri;
        }

        reader.Error(section, $"'{url}' must be an http:// or https:// URL with a host and a port and no path, e.g. {example}");
        return null;
    }

    private static EdgeSettings ReadEdge(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "Id", "RouteTimeout", "RouteLocally", "RetryAfter", "RouteRefreshInterval", "ActivityTimeout", "HttpActivityTimeout", "BackendConnectTimeout", "BackendResponseTimeout", "RouteAttempts", "DetachTunnels", "Tunnel", "DrainWindow", "LeaseTime",
            "HeartbeatInterval", "HandshakeTimeout", "MaxRequestHeadersSize", "TrustedProxies");
        var defaults = new EdgeSettings();
        var lease = reader.Duration(section, "LeaseTime", defaults.LeaseTime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return new EdgeSettings
        {
            Id = Identifier(reader, section, "Id", defaults.Id),
            RouteTimeout = reader.Duration(section, "RouteTimeout", defaults.RouteTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            RouteLocally = reader.Bool(section, "RouteLocally", defaults.RouteLocally),
            RetryAfter = reader.Duration(section, "RetryAfter", defaults.RetryAfter, TimeSpan.FromSeconds(1), OneHour),
            RouteRefreshInterval = reader.Duration(section, "RouteRefreshInterval", defaults.RouteRefreshInterval, TimeSpan.FromMilliseconds(100), OneHour),
            ActivityTimeout = reader.Duration(section, "ActivityTimeout", defaults.ActivityTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            HttpActivityTimeout = reader.Duration(section, "HttpActivityTimeout", defaults.HttpActivityTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            DetachTunnels = reader.Bool(section, "DetachTunnels", defaults.DetachTunnels),
            Tunnel = reader.Enum(section, "Tunnel", defaults.Tunnel),
            DrainWindow = reader.Duration(section, "DrainWindow", defaults.DrainWindow, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            BackendConnectTimeout = reader.Duration(section, "BackendConnectTimeout", defaults.BackendConnectTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
            BackendResponseTimeout = reader.Duration(section, "BackendResponseTimeout", defaults.BackendResponseTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)),
            RouteAttempts = reader.Int(section, "RouteAttempts", defaults.RouteAttempts, 1, 10),
            LeaseTime = lease,
            HeartbeatInterval = HeartbeatInterval(reader, section, lease),
            HandshakeTimeout = reader.Duration(section, "HandshakeTimeout", defaults.HandshakeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            MaxRequestHeadersSize = reader.Int(section, "MaxRequestHeadersSize", defaults.MaxRequestHeadersSize, 1024, 1024 * 1024),
            TrustedProxies = TrustedProxiesReader.Read(reader, section.GetSection("TrustedProxies")),
        };
    }

    private static TimeSpan HeartbeatInterval(ConfigValueReader reader, IConfigurationSection section, TimeSpan lease)
    {
        var fallback = TimeSpan.FromTicks(Math.Min(new EdgeSettings().HeartbeatInterval.Ticks, lease.Ticks / 3));
        var interval = reader.Duration(section, "HeartbeatInterval", fallback, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        if (interval > lease / 2)
        {
            // One late or lost heartbeat must not lapse the lease.
            reader.Error(section.GetSection("HeartbeatInterval"), $"must be at most half of WsOrleans:Edge:LeaseTime ({lease:c})");
            return fallback;
        }

        return interval;
    }

    /// <summary>A name used in keys and logs: letters, digits, '.', '_' and '-'.</summary>
    internal static string Identifier(ConfigValueReader reader, IConfigurationSection parent, string key, string fallback)
    {
        var section = parent.GetSection(key);
        if (section.Value is null)
        {
            return fallback;
        }

        if (IsIdentifier(section.Value))
        {
            return section.Value;
        }

        reader.Error(section, "must be 1 to 100 letters, digits, '.', '_' or '-'");
        return fallback;
    }

    internal static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
