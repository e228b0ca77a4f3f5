using System.Diagnostics.CodeAnalysis;

namespace WsOrleans.Routing;

/// <summary>
/// Names the part of a handshake that a strategy hashes or binds: <c>query:NAME</c>,
/// <c>header:NAME</c>, <c>cookie:NAME</c> or <c>path</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.request-key")]
public sealed record class RequestKey(
    [property: Id(0)] RequestKeyKind Kind,
    [property: Id(1)] string Name = "")
{
    /// <summary>The forms <see cref="TryParse"/> accepts, for error messages.</summary>
    public const string AllowedForms = "query:NAME, header:NAME, cookie:NAME or path";

    /// <summary>The key <c>IpHash</c> uses: the client's address.</summary>
    public static RequestKey ClientAddress { get; } = new(RequestKeyKind.ClientAddress);

    /// <summary>Parses one of <see cref="AllowedForms"/>; the prefix is matched ignoring case.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RequestKey? key)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (string.Equals(text, "path", StringComparison.OrdinalIgnoreCase))
        {
            key = new RequestKey(RequestKeyKind.Path);
            return true;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var name = text[(colon + 1)..].Trim();
        RequestKeyKind? kind = text[..colon].Trim().ToLowerInvariant() switch
        {
            "query" => RequestKeyKind.Query,
            "header" => RequestKeyKind.Header,
            "cookie" => RequestKeyKind.Cookie,
            _ => null,
        };
        if (kind is null || name.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            return false;
        }

        key = new RequestKey(kind.Value, name);
        return true;
    }

    public override string ToString() => Kind switch
    {
        RequestKeyKind.Path => "path",
        RequestKeyKind.ClientAddress => "client-address",
        _ => $"{Kind.ToString().ToLowerInvariant()}:{Name}",
    };
}
