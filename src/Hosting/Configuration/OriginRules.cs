namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// What a WebSocket <c>Origin</c> is (RFC 6454 serialization), shared by configuration and the edge so an
/// allowed origin and a browser's header are compared in one form.
/// </summary>
public static class OriginRules
{
    /// <summary>What an allowed origin must be, for error messages.</summary>
    public const string Allowed = "must be an origin, scheme://host or scheme://host:port (http, https, ws or wss) without a path, e.g. https://chat.example.com";

    /// <summary>
    /// The origin in the form browsers send it (scheme and host in lower case, a default port left out), or
    /// null when <paramref name="text"/> is not one (a path, a query, user info, the opaque origin <c>null</c>).
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var origin = text.EndsWith('/') ? text[..^1] : text;
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0
            || origin.AsSpan(separator + 3).IndexOfAny("/?#@\\ ") >= 0
            || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "ws" or "wss")
            || uri.Host.Length == 0)
        {
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
