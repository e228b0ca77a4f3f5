using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// What a pool's strategy settings may be, wherever they come from (configuration or the admin API):
/// each rule is a check and the words an error uses when it fails.
/// </summary>
public static class StrategyRules
{
    /// <summary>The forms an affinity key may take.</summary>
    public const string AffinityKeyForms = "cookie:NAME, header:NAME or query:NAME";

    /// <summary>What a hash key must be, for error messages.</summary>
    public const string HashKeyAllowed = "must be " + RequestKey.AllowedForms;

    /// <summary>The error of a <c>Hash</c> pool without a hash key.</summary>
    public const string HashKeyRequired = "required by the Hash strategy: " + RequestKey.AllowedForms;

    /// <summary>What an affinity key must be, for error messages.</summary>
    public const string AffinityKeyAllowed = "must be " + AffinityKeyForms;

    /// <summary>The error of a <c>Sticky</c> pool without an affinity key.</summary>
    public const string AffinityKeyRequired = "required by the Sticky strategy: " + AffinityKeyForms;

    /// <summary>What an affinity cookie's name must be, for error messages.</summary>
    public const string AffinityCookieAllowed = "must be a cookie name: 1 to 100 letters, digits or !#$%&'*+-.^_`|~, "
        + "not starting with __Host- or __Secure- (browsers keep those only with attributes an affinity cookie does not have)";

    /// <summary>The error of a pool that sets both kinds of affinity.</summary>
    public const string OneAffinity = "cannot be set together with Affinity:Key: Key is the Sticky strategy's key, which clients send; "
        + "Cookie is a cookie the edges issue, with any other strategy. Set one of them";

    /// <summary>The shortest affinity time to live.</summary>
    public static readonly TimeSpan MinAffinityTtl = TimeSpan.FromSeconds(1);

    /// <summary>The longest affinity time to live.</summary>
    public static readonly TimeSpan MaxAffinityTtl = TimeSpan.FromDays(30);

    /// <summary>What a strategy name must be, for error messages.</summary>
    public static string StrategyAllowed { get; } = $"must be one of {string.Join(", ", StrategyNames.All)}";

    /// <summary>What an affinity time to live must be, for error messages.</summary>
    public static string AffinityTtlAllowed { get; } = ValueRules.Duration(MinAffinityTtl, MaxAffinityTtl);

    /// <summary>The canonical name of the strategy <paramref name="text"/> names (any case, surrounding spaces ignored), or null.</summary>
    public static string? ParseStrategy(string? text) => StrategyNames.Canonical(text?.Trim());

    /// <summary>Parses a hash key (<see cref="RequestKey.AllowedForms"/>), or null.</summary>
    public static RequestKey? ParseHashKey(string? text) => RequestKey.TryParse(text, out var key) ? key : null;

    /// <summary>Parses an affinity key (<see cref="AffinityKeyForms"/>: not <c>path</c>), or null.</summary>
    public static RequestKey? ParseAffinityKey(string? text) =>
        RequestKey.TryParse(text, out var key) && key.Kind != RequestKeyKind.Path ? key : null;

    /// <summary>Parses an affinity time to live, from <see cref="MinAffinityTtl"/> to <see cref="MaxAffinityTtl"/>.</summary>
    public static bool TryParseAffinityTtl(string? text, out TimeSpan ttl) =>
        ValueRules.TryParseDuration(text, MinAffinityTtl, MaxAffinityTtl, out ttl);

    /// <summary>Whether <paramref name="strategy"/> needs a hash key it lacks.</summary>
    public static bool LacksHashKey(string strategy, RequestKey? hashKey) => strategy == StrategyNames.Hash && hashKey is null;

    /// <summary>Parses an affinity cookie's name (an RFC 6265 token of at most 100 characters), or null.</summary>
    public static string? ParseAffinityCookie(string? text)
    {
        var name = text?.Trim();
        return name is { Length: > 0 and <= 100 } && name.All(IsTokenChar)
            && !name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase)
            ? name
            : null;

        static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
    }

    /// <summary>Whether <paramref name="strategy"/> needs an affinity key it lacks.</summary>
    public static bool LacksAffinity(string strategy, AffinitySettings? affinity) => strategy == StrategyNames.Sticky && affinity?.Key is null;
}
