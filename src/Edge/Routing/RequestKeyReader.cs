using System.Net;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Routing;

/// <summary>Reads a pool's routing key (client address, query, header, cookie or path) from a handshake.</summary>
internal static class RequestKeyReader
{
    public static string? Read(HttpContext context, RequestKey? key) => key?.Kind switch
    {
        null => null,
        RequestKeyKind.ClientAddress => ClientAddress(context),
        RequestKeyKind.Query => NullIfEmpty(context.Request.Query[key.Name].ToString()),
        RequestKeyKind.Header => NullIfEmpty(context.Request.Headers[key.Name].ToString()),
        RequestKeyKind.Cookie => NullIfEmpty(context.Request.Cookies[key.Name]),
        RequestKeyKind.Path => context.Request.Path.Value,
        _ => null,
    };

    /// <summary>The client's address; an IPv4 client on a dual-stack socket counts as its IPv4 address.</summary>
    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => null,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
