namespace WsOrleans.Edge.Affinity;

/// <summary>
/// Reads and removes one cookie by its exact name in <c>Cookie</c> headers (a browser sends one, an HTTP/2
/// client may send several), the way the edge must: ASP.NET Core's <c>Request.Cookies</c> ignores case and
/// keeps one value of a name sent twice, and nested paths make browsers send a name twice.
/// </summary>
internal static class CookieHeader
{
    private const string Name = "Cookie";

    /// <summary>Every value of the cookies named exactly <paramref name="cookie"/>, in the order the client sent them.</summary>
    public static IEnumerable<string> Values(IEnumerable<string?> headers, string cookie)
    {
        foreach (var (name, pair) in Pairs(headers))
        {
            if (string.Equals(name, cookie, StringComparison.Ordinal))
            {
                var equals = pair.IndexOf('=');
                yield return equals < 0 ? "" : pair[(equals + 1)..].Trim().Trim('"');
            }
        }
    }

    /// <summary>Removes every cookie named exactly <paramref name="cookie"/> (the edge's own) from <paramref name="request"/>.</summary>
    public static void Remove(HttpRequestMessage request, string cookie)
    {
        if (!request.Headers.NonValidated.TryGetValues(Name, out var values))
        {
            return;
        }

        request.Headers.Remove(Name);
        if (Without(values, cookie) is { } kept)
        {
            request.Headers.TryAddWithoutValidation(Name, kept);
        }
    }

    /// <summary>One <c>Cookie</c> header with every cookie of <paramref name="headers"/> but those named exactly <paramref name="cookie"/>; null when none is left.</summary>
    public static string? Without(IEnumerable<string?> headers, string cookie)
    {
        var kept = Pairs(headers).Where(p => !string.Equals(p.Name, cookie, StringComparison.Ordinal)).Select(p => p.Pair).ToList();
        return kept.Count > 0 ? string.Join("; ", kept) : null;
    }

    private static IEnumerable<(string Name, string Pair)> Pairs(IEnumerable<string?> headers)
    {
        foreach (var header in headers)
        {
            foreach (var pair in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=');
                yield return ((equals < 0 ? pair : pair[..equals]).Trim(), pair);
            }
        }
    }
}
