using System.Collections.Concurrent;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Affinity;

/// <summary>
/// Reads and issues pools' affinity cookies. Every edge gets each pool's signing key from the cluster
/// with the pool's route, so a cookie issued by one edge is honoured by all of them. A cookie that is
/// missing, malformed, forged, expired, for another pool or for a backend that cannot take the request
/// is never an error: the request is balanced by the pool's strategy and the answer carries a new cookie.
/// </summary>
internal sealed class AffinityCookies(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <summary>The request's affinity, or null when <paramref name="pool"/> has no affinity cookie.</summary>
    public AffinityTicket? Read(HttpContext context, PoolRoute pool)
    {
        if (pool.AffinityCookie is not { } affinity)
        {
            return null;
        }

        var key = _keys.GetOrAdd(affinity.SigningKey, Convert.FromBase64String);
        var now = time.GetUtcNow();
        var brought = false;
        string? preferred = null;
        var expires = default(DateTimeOffset);

        // A cookie of the same name for a pool on a longer path comes first; the first one this pool signed wins.
        foreach (var value in CookieHeader.Values(context.Request.Headers.Cookie, affinity.Name))
        {
            brought = true;
            if (AffinityCookieCodec.TryDecode(value, pool.Name, key, now, out var backendId, out expires))
            {
                preferred = backendId;
                break;
            }
        }

        var ticket = new AffinityTicket(pool, affinity, key, brought, preferred, expires);
        context.Features.Set(ticket);
        return ticket;
    }

    /// <summary>Records that <paramref name="backendId"/> takes the request, which decides the cookie its answer carries.</summary>
    public void Chosen(HttpContext context, AffinityTicket ticket, string backendId) =>
        ticket.Chosen(backendId, time.GetUtcNow(), context.Request.IsHttps);
}
