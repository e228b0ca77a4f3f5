using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>
/// How a pool keeps a client on one backend: the <c>Sticky</c> strategy's <see cref="Key"/>, which the
/// client supplies, or an affinity <see cref="Cookie"/>, which the edges issue (with any other strategy).
/// One of the two is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.affinity-settings")]
public sealed record class AffinitySettings
{
    /// <summary>The default time a binding or an affinity cookie lives after its last use: one hour.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>The <c>Sticky</c> strategy's key: <c>cookie:NAME</c>, <c>header:NAME</c> or <c>query:NAME</c>.</summary>
    [Id(0)] public RequestKey? Key { get; init; }

    /// <summary>Sliding time to live of a binding or an affinity cookie. The default is one hour.</summary>
    [Id(1)] public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary>
    /// The name of the cookie the edges issue to pin a client to the backend it was first given, honoured
    /// by every edge; null for none.
    /// </summary>
    [Id(2)] public string? Cookie { get; init; }
}
