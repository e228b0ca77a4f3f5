using System.Collections.Frozen;
using WsOrleans.Edge.Routing;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// What a backend is told about the client, on handshakes and plain requests alike: <c>X-Forwarded-For</c> (the
/// client's address), <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c>. Values a client sent in those headers
/// (or in <c>Forwarded</c> and <c>X-Real-IP</c>) are dropped, not trusted.
/// </summary>
internal static class ForwardedHeaders
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";

    private static readonly FrozenSet<string> ClientSupplied =
        new[] { For, Proto, Host, "Forwarded", "X-Real-IP" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> is one of the headers a client may not set for the backend.</summary>
    public static bool IsClientSupplied(string name) => ClientSupplied.Contains(name);

    /// <summary>The values the edge sends; a null one is left out.</summary>
    public static (string? For, string Proto, string? Host) Of(HttpContext context) =>
        (RequestKeyReader.ClientAddress(context), context.Request.Scheme, context.Request.Host.HasValue ? context.Request.Host.Value : null);
}
