using Microsoft.Net.Http.Headers;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Affinity;

/// <summary>
/// One request's affinity cookie: the backend the cookie it brought names (when the cookie is valid), and
/// the cookie the answer carries back once a backend is chosen. A valid cookie that named the chosen
/// backend is renewed only when less than half its lifetime is left, so most answers carry no cookie.
/// </summary>
internal sealed class AffinityTicket(PoolRoute pool, CookieAffinity affinity, byte[] key, bool brought, string? preferred, DateTimeOffset expires)
{
    /// <summary>The cookie's name.</summary>
    public string Name => affinity.Name;

    /// <summary>Whether the request carried a cookie of this name, valid or not: it is not forwarded to the backend.</summary>
    public bool Brought { get; } = brought;

    /// <summary>The backend a valid cookie names, or null.</summary>
    public string? Preferred { get; } = preferred;

    /// <summary>The <c>Set-Cookie</c> value the answer carries, or null when the client's cookie stays as it is.</summary>
    public string? SetCookie { get; private set; }

    /// <summary>Decides the cookie to send back now that <paramref name="backendId"/> takes the request.</summary>
    public void Chosen(string backendId, DateTimeOffset now, bool https)
    {
        if (backendId == Preferred && expires - now > affinity.Ttl / 2)
        {
            SetCookie = null;
            return;
        }

        SetCookie = new SetCookieHeaderValue(Name, AffinityCookieCodec.Encode(pool.Name, backendId, now + affinity.Ttl, key))
        {
            Path = pool.Path,
            MaxAge = affinity.Ttl,
            HttpOnly = true,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Secure = https,
        }.ToString();
    }
}
