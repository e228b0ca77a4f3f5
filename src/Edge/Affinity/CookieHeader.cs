namespace WsOrleans.Edge.Affinity;

/// <summary>Takes one cookie out of the <c>Cookie</c> header a request is forwarded with.</summary>
internal static class CookieHeader
{
    private const string Name = "Cookie";

    /// <summary>Removes every cookie named <paramref name="cookie"/> (the edge's own) from <paramref name="request"/>.</summary>
    public static void Remove(HttpRequestMessage request, string cookie)
    {
        if (!request.Headers.NonValidated.TryGetValues(Name, out var values))
        {
            return;
        }

        var kept = new List<string>();
        foreach (var value in values)
        {
            foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=');
                var name = (equals < 0 ? pair : pair[..equals]).Trim();
                if (!string.Equals(name, cookie, StringComparison.Ordinal))
                {
                    kept.Add(pair);
                }
            }
        }

        request.Headers.Remove(Name);
        if (kept.Count > 0)
        {
            request.Headers.TryAddWithoutValidation(Name, string.Join("; ", kept));
        }
    }
}
