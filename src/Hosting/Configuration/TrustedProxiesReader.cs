using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads <c>WsOrleans:Edge:TrustedProxies</c>: addresses and CIDR networks.</summary>
internal static class TrustedProxiesReader
{
    public const string Allowed = "must be an IP address or a CIDR network (e.g. 10.0.0.7, 10.0.0.0/8 or fd00::/8) with no bits set after the prefix";

    public static ImmutableArray<IPNetwork> Read(ConfigValueReader reader, IConfigurationSection section)
    {
        var proxies = ImmutableArray.CreateBuilder<IPNetwork>();
        foreach (var (key, value) in ListValues.Read(section))
        {
            if (Parse(value) is { } network)
            {
                proxies.Add(network);
            }
            else
            {
                reader.Error(key, value, Allowed);
            }
        }

        return proxies.Count == 0 ? [] : proxies.ToImmutable();
    }

    private static IPNetwork? Parse(string text)
    {
        if (text.Contains('/'))
        {
            // Parsing alone would accept 10.0.0.1/8 as 10.0.0.0/8: say so rather than guess what was meant.
            return IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text[..text.IndexOf('/')], out var written) && written.Equals(network.BaseAddress)
                ? network
                : null;
        }

        // IPAddress alone would read "10" as 0.0.0.10.
        return (text.Contains('.') || text.Contains(':')) && IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }
}
