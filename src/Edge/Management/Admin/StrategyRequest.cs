using System.Text.Json;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The body of <c>PUT /pools/{pool}/strategy</c>: <c>{ "strategy": "Hash", "hashKey": "query:room" }</c> or
/// <c>{ "strategy": "Sticky", "affinity": { "key": "cookie:s", "ttl": "01:00:00" } }</c> or
/// <c>{ "strategy": "LeastConnections", "affinity": { "cookie": "wsorleans" } }</c>, checked by the same rules
/// as a pool's strategy in configuration. A PUT replaces all three: an omitted key is none.
/// </summary>
internal static class StrategyRequest
{
    public const string Strategy = "strategy";
    public const string HashKey = "hashKey";
    public const string Affinity = "affinity";
    public const string Key = "key";
    public const string Cookie = "cookie";
    public const string Ttl = "ttl";

    /// <summary>The strategy <paramref name="body"/> describes, or null with <paramref name="errors"/> saying why.</summary>
    public static StrategySettings? Read(JsonElement body, List<ConfigurationError> errors)
    {
        var fields = JsonFields.Read(body, "body", errors, Strategy, HashKey, Affinity);
        if (!fields.IsObject)
        {
            return null;
        }

        var strategyText = fields.String(Strategy, StrategyRules.StrategyAllowed);
        var strategy = StrategyRules.ParseStrategy(strategyText);
        if (strategy is null && (strategyText is not null || !fields.Has(Strategy)))
        {
            fields.Error(Strategy, strategyText, StrategyRules.StrategyAllowed);
        }

        var hashKeyText = fields.String(HashKey, StrategyRules.HashKeyAllowed);
        var hashKey = StrategyRules.ParseHashKey(hashKeyText);
        if (hashKey is null && hashKeyText is not null)
        {
            fields.Error(HashKey, hashKeyText, StrategyRules.HashKeyAllowed);
        }

        var affinityFields = fields.Object(Affinity, Key, Cookie, Ttl);
        var affinity = affinityFields is { IsObject: true } ? ReadAffinity(affinityFields) : null;

        // A key that was given but is bad (or an affinity that is no object) has been reported already.
        if (strategy is not null && StrategyRules.LacksHashKey(strategy, hashKey) && !fields.Has(HashKey))
        {
            fields.Error(HashKey, null, StrategyRules.HashKeyRequired);
        }

        var affinityGiven = affinityFields is { IsObject: false } || affinityFields?.Has(Key) == true || affinityFields?.Has(Cookie) == true;
        if (strategy is not null && StrategyRules.LacksAffinity(strategy, affinity) && !affinityGiven)
        {
            fields.Error($"{Affinity}.{Key}", null, StrategyRules.AffinityKeyRequired);
        }
        else if (strategy == WsOrleans.Routing.StrategyNames.Sticky && affinity is { Key: null, Cookie: { } cookie })
        {
            fields.Error($"{Affinity}.{Cookie}", cookie, $"does not work with the Sticky strategy, which binds affinity.key ({StrategyRules.AffinityKeyForms}); use affinity.key, or another strategy with the cookie");
        }

        return errors.Count == 0 && strategy is not null
            ? new StrategySettings { Strategy = strategy, HashKey = hashKey, Affinity = affinity }
            : null;
    }

    /// <summary>The affinity, or null when it names no key and no cookie (as in configuration, a TTL alone is no affinity).</summary>
    private static AffinitySettings? ReadAffinity(JsonFields fields)
    {
        var ttl = AffinitySettings.DefaultTtl;
        var ttlText = fields.String(Ttl, StrategyRules.AffinityTtlAllowed);
        if (ttlText is not null && !StrategyRules.TryParseAffinityTtl(ttlText, out ttl))
        {
            fields.Error(Ttl, ttlText, StrategyRules.AffinityTtlAllowed);
        }

        var keyText = fields.String(Key, StrategyRules.AffinityKeyAllowed);
        var key = StrategyRules.ParseAffinityKey(keyText);
        if (keyText is not null && key is null)
        {
            fields.Error(Key, keyText, StrategyRules.AffinityKeyAllowed);
        }

        var cookieText = fields.String(Cookie, StrategyRules.AffinityCookieAllowed);
        var cookie = StrategyRules.ParseAffinityCookie(cookieText);
        if (cookieText is not null && cookie is null)
        {
            fields.Error(Cookie, cookieText, StrategyRules.AffinityCookieAllowed);
        }

        if (keyText is not null && cookieText is not null)
        {
            fields.Error(Cookie, cookieText, StrategyRules.OneAffinity.Replace("Affinity:Key", "affinity.key", StringComparison.Ordinal));
            return null;
        }

        return key is null && cookie is null ? null : new AffinitySettings { Key = key, Cookie = cookie, Ttl = ttl };
    }
}
