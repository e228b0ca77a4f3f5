using System.Collections.Concurrent;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// A backend's <c>ws://</c> or <c>wss://</c> address as the edge connects to it: host, port, TLS, and the base
/// path requests are sent under; parsed once per address.
/// </summary>
internal sealed record class BackendAddress(bool Tls, string Host, int Port, string BasePath, string HttpPrefix)
{
    private static readonly ConcurrentDictionary<string, BackendAddress> Cache = new(StringComparer.Ordinal);

    /// <summary>Host and port as the <c>Host</c> header of a request that names none would carry them.</summary>
    public string Authority => (Tls ? Port == 443 : Port == 80) ? Host : $"{Host}:{Port}";

    /// <summary>Parses a configured address (validated when it was configured): <c>ws://host:port/base</c> or <c>wss://…</c>.</summary>
    public static BackendAddress Of(string address) => Cache.GetOrAdd(address, static a =>
    {
        var uri = new Uri(a);
        var tls = uri.Scheme is "wss" or "https";
        var prefix = a.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) ? "https://" + a[6..]
            : a.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) ? "http://" + a[5..]
            : a;
        return new BackendAddress(tls, uri.IdnHost, uri.Port, uri.AbsolutePath.TrimEnd('/'), prefix);
    });
}
