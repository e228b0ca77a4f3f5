using System.Collections.Concurrent;
using System.Net;

namespace WsOrleans.Dialing;

/// <summary>
/// Where to connect for a backend host and port. An IP literal (the usual backend address) is
/// parsed once; a host name is left to the resolver on every connect, so DNS changes are honoured.
/// </summary>
internal static class BackendEndPoints
{
    private static readonly ConcurrentDictionary<(string Host, int Port), EndPoint> Cache = new();

    public static EndPoint For(string host, int port) => Cache.GetOrAdd((host, port), static key =>
        IPAddress.TryParse(key.Host, out var address) ? new IPEndPoint(address, key.Port) : new DnsEndPoint(key.Host, key.Port));
}
