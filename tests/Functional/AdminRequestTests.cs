using System.Text.Json;
using WsOrleans.Backends;
using WsOrleans.Edge.Management.Admin;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Functional;

/// <summary>The admin API's bodies, read without a server: what a good body becomes.</summary>
public sealed class AdminRequestTests
{
    [Fact]
    public void Backend_FieldNamesInAnyCase_NullsTakeDefaults_AddressIsNormalised()
    {
        var errors = new List<ConfigurationError>();

        var backend = BackendRequest.Read("d", Json("""{ "Address": "WS://LocalHost:5004/chat/", "WEIGHT": null, "maxconnections": 7 }"""), errors);

        Assert.Empty(errors);
        Assert.Equal(new BackendSettings { Id = "d", Address = "ws://localhost:5004/chat", Weight = 1, MaxConnections = 7 }, backend);
    }

    [Fact]
    public void Backend_SeveralBadFields_AreAllReported()
    {
        var errors = new List<ConfigurationError>();

        var backend = BackendRequest.Read("bad id", Json("""{ "address": "tcp://x", "weight": -1, "maxConnections": "many" }"""), errors);

        Assert.Null(backend);
        Assert.Equal(["id", "address", "weight", "maxConnections"], errors.Select(e => e.Key));
    }

    [Fact]
    public void Strategy_StickyWithoutTtl_HasTheDefaultTtl_AndTheCanonicalName()
    {
        var errors = new List<ConfigurationError>();

        var strategy = StrategyRequest.Read(Json("""{ "strategy": " sticky ", "affinity": { "key": "header:X-Session" } }"""), errors);

        Assert.Empty(errors);
        Assert.Equal(
            new StrategySettings { Strategy = "Sticky", Affinity = new AffinitySettings { Key = new RequestKey(RequestKeyKind.Header, "X-Session"), Ttl = TimeSpan.FromHours(1) } },
            strategy);
    }

    [Fact]
    public void Strategy_KeysOfOtherStrategies_AreKeptAsConfigurationKeepsThem()
    {
        var errors = new List<ConfigurationError>();

        var strategy = StrategyRequest.Read(Json("""{ "strategy": "RoundRobin", "hashKey": "path" }"""), errors);

        Assert.Empty(errors);
        Assert.Equal(new StrategySettings { Strategy = "RoundRobin", HashKey = new RequestKey(RequestKeyKind.Path) }, strategy);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
