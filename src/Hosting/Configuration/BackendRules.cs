namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// What a backend's settings may be, wherever they come from (configuration or the admin API):
/// each rule is a check and the words an error uses when it fails.
/// </summary>
public static class BackendRules
{
    /// <summary>The smallest weight a backend may have.</summary>
    public const int MinWeight = 1;

    /// <summary>The largest weight a backend may have.</summary>
    public const int MaxWeight = 10_000;

    /// <summary>What an address must be, for error messages.</summary>
    public const string AddressAllowed = "must be a ws:// or wss:// address with a host, e.g. ws://127.0.0.1:5001, without a query or user name";

    /// <summary>What an id must be, for error messages.</summary>
    public const string IdAllowed = "must be 1 to 100 letters, digits, '.', '_', '-', ':', '[' or ']'";

    /// <summary>Parses a backend address; null when it is not an absolute ws:// or wss:// URI with a host.</summary>
    public static Uri? ParseAddress(string? text)
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

    /// <summary>The form an address is stored and compared in: scheme and host in lower case, no default port, no trailing '/'.</summary>
    public static string Normalize(Uri address) => address.AbsoluteUri.TrimEnd('/');

    /// <summary>The id of a backend written without one: its address's host and port, e.g. <c>127.0.0.1:5001</c>.</summary>
    public static string DefaultId(Uri address) => $"{address.Host}:{address.Port}";

    /// <summary>Whether <paramref name="id"/> is a valid backend id (see <see cref="IdAllowed"/>).</summary>
    public static bool IsId(string? id) =>
        id is { Length: > 0 and <= 100 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '[' or ']');

    /// <summary>Whether two backends' addresses are the same backend (addresses are compared ignoring case).</summary>
    public static bool SameAddress(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
