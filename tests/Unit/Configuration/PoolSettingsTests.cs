using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;
using WsOrleans.Routing;
using static WsOrleans.Tests.Unit.Configuration.Config;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class PoolSettingsTests
{
    [Fact]
    public void Load_PoolWithOnlyABackend_GetsTheDefaults()
    {
        var pool = Assert.Single(Load($"{Pool}Backends:0:Address=ws://127.0.0.1:5001").Pools);

        Assert.Equal(new PoolSettings { Name = "default" }, pool.Settings);
        Assert.Equal("/ws", pool.Settings.Path);
        Assert.Equal(StrategyNames.LeastConnections, pool.Settings.Strategy);
        Assert.Equal(new HealthCheckSettings(), pool.Settings.HealthCheck);
        Assert.Null(pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_SeveralPools_AreReadWithTheirNames()
    {
        var pools = Load("WsOrleans:Pools:chat:Path=/chat", "WsOrleans:Pools:feed:Path=/feed").Pools;

        Assert.Equal(["chat /chat", "feed /feed"], pools.Select(p => $"{p.Settings.Name} {p.Settings.Path}"));
    }

    [Theory]
    [InlineData("roundrobin", "RoundRobin")]
    [InlineData("LEASTCONNECTIONS", "LeastConnections")]
    [InlineData(" ipHash ", "IpHash")]
    public void Load_StrategyInAnyCase_IsCanonicalised(string written, string canonical)
    {
        var pool = Assert.Single(Load($"{Pool}Strategy={written}").Pools);

        Assert.Equal(canonical, pool.Settings.Strategy);
    }

    [Fact]
    public void Load_UnknownStrategy_ListsTheStrategies()
    {
        var error = Error($"{Pool}Strategy=Random");

        Assert.Equal(
            new ConfigurationError($"{Pool}Strategy", "Random", "must be one of RoundRobin, LeastConnections, IpHash, Hash, Sticky"),
            error);
    }

    [Fact]
    public void Load_IpHash_RoutesOnTheClientAddress()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=iphash").Pools);

        Assert.Equal(RequestKey.ClientAddress, pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_Hash_RoutesOnItsHashKey()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=hash", $"{Pool}HashKey=Query:room").Pools);

        Assert.Equal(new RequestKey(RequestKeyKind.Query, "room"), pool.Settings.HashKey);
        Assert.Equal(new RequestKey(RequestKeyKind.Query, "room"), pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_HashOnPath_IsAccepted()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=Hash", $"{Pool}HashKey=path").Pools);

        Assert.Equal(new RequestKey(RequestKeyKind.Path), pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_Sticky_RoutesOnItsAffinityKey()
    {
        var pool = Assert.Single(Load(
            $"{Pool}Strategy=sticky",
            $"{Pool}Affinity:Key=cookie:session",
            $"{Pool}Affinity:Ttl=00:30:00").Pools);

        Assert.Equal(
            new AffinitySettings { Key = new RequestKey(RequestKeyKind.Cookie, "session"), Ttl = TimeSpan.FromMinutes(30) },
            pool.Settings.Affinity);
        Assert.Equal(new RequestKey(RequestKeyKind.Cookie, "session"), pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_StickyWithoutTtl_KeepsBindingsAnHour()
    {
        var pool = Assert.Single(Load($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Key=header:X-Session").Pools);

        Assert.Equal(TimeSpan.FromHours(1), pool.Settings.Affinity?.Ttl);
    }

    [Fact]
    public void Load_RoundRobinWithKeysOfOtherStrategies_HasNoRoutingKey()
    {
        var pool = Assert.Single(Load(
            $"{Pool}Strategy=RoundRobin",
            $"{Pool}HashKey=query:room",
            $"{Pool}Affinity:Key=query:session").Pools);

        Assert.Null(pool.Settings.RoutingKey);
    }

    [Fact]
    public void Load_HashWithoutHashKey_NamesTheMissingKey()
    {
        var error = Error($"{Pool}Strategy=Hash");

        Assert.Equal(
            new ConfigurationError($"{Pool}HashKey", null, "required by the Hash strategy: query:NAME, header:NAME, cookie:NAME or path"),
            error);
    }

    [Fact]
    public void Load_StickyWithoutAffinityKey_NamesTheMissingKey()
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Ttl=00:10:00");

        Assert.Equal($"{Pool}Affinity:Key", error.Key);
        Assert.Null(error.Value);
        Assert.Equal("required by the Sticky strategy: cookie:NAME, header:NAME or query:NAME", error.Allowed);
    }

    [Theory]
    [InlineData("room")]
    [InlineData("body:room")]
    [InlineData("query:")]
    [InlineData("query:my room")]
    [InlineData("")]
    public void Load_HashKeyOfUnknownForm_IsRefusedOnce(string hashKey)
    {
        var error = Error($"{Pool}Strategy=Hash", $"{Pool}HashKey={hashKey}");

        Assert.Equal(new ConfigurationError($"{Pool}HashKey", hashKey, "must be query:NAME, header:NAME, cookie:NAME or path"), error);
    }

    [Fact]
    public void Load_AffinityKeyPath_IsRefused()
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Key=path");

        Assert.Equal(new ConfigurationError($"{Pool}Affinity:Key", "path", "must be cookie:NAME, header:NAME or query:NAME"), error);
    }

    [Fact]
    public void Load_AffinityTtlOutOfRange_IsRefused()
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Key=query:s", $"{Pool}Affinity:Ttl=31.00:00:00");

        Assert.Equal($"{Pool}Affinity:Ttl", error.Key);
        Assert.Equal("31.00:00:00", error.Value);
        Assert.Equal("must be a duration (hh:mm:ss, e.g. 00:00:02) from 00:00:01 to 30.00:00:00", error.Allowed);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("30")]
    public void Load_DurationAsBareNumber_IsRefusedRatherThanReadAsDays(string written)
    {
        var error = Error($"{Pool}Strategy=Sticky", $"{Pool}Affinity:Key=query:s", $"{Pool}Affinity:Ttl={written}");

        Assert.Equal(($"{Pool}Affinity:Ttl", written), (error.Key, error.Value));
    }

    [Theory]
    [InlineData("/chat/", "/chat")]
    [InlineData(" /chat ", "/chat")]
    [InlineData("/", "/")]
    [InlineData("/api/v1/ws", "/api/v1/ws")]
    public void Load_Path_IsTrimmed(string written, string read)
    {
        var pool = Assert.Single(Load($"{Pool}Path={written}").Pools);

        Assert.Equal(read, pool.Settings.Path);
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("/ws/../admin")]
    [InlineData("/ws?room=1")]
    [InlineData("/ws#top")]
    [InlineData("//ws")]
    [InlineData("/my ws")]
    [InlineData("/%2e%2e")]
    [InlineData("")]
    public void Load_BadPath_IsRefused(string path)
    {
        var error = Error($"{Pool}Path={path}");

        Assert.Equal($"{Pool}Path", error.Key);
        Assert.Equal(path, error.Value);
        Assert.StartsWith("must be a path that starts with '/'", error.Allowed);
    }

    [Theory]
    [InlineData("/ws", "/ws")]
    [InlineData("/chat", "/chat/")]
    public void Load_TwoPoolsOnOnePath_NamesTheSecondAndTheFirst(string first, string second)
    {
        var error = Error($"WsOrleans:Pools:a:Path={first}", $"WsOrleans:Pools:b:Path={second}");

        Assert.Equal(
            new ConfigurationError("WsOrleans:Pools:b:Path", first, "pool 'a' already uses this path; each pool needs its own"),
            error);
    }

    [Fact]
    public void Load_BadPathBesideAPoolOnTheDefaultPath_ReportsOnlyTheBadPath()
    {
        // b's bad path must not be read as the default /ws and then reported as a clash with a.
        var error = Error("WsOrleans:Pools:a:Path=/ws", "WsOrleans:Pools:b:Path=chat");

        Assert.Equal("WsOrleans:Pools:b:Path", error.Key);
        Assert.Equal("chat", error.Value);
    }

    [Fact]
    public void Load_NestedPaths_AreDifferentPools()
    {
        var pools = Load("WsOrleans:Pools:a:Path=/ws", "WsOrleans:Pools:b:Path=/ws/vip").Pools;

        Assert.Equal(2, pools.Length);
    }

    [Fact]
    public void Load_HealthCheckValues_AreRead()
    {
        var pool = Assert.Single(Load(
            $"{Pool}HealthCheck:Mode=http",
            $"{Pool}HealthCheck:Path=/healthz",
            $"{Pool}HealthCheck:Interval=00:00:05",
            $"{Pool}HealthCheck:Timeout=00:00:00.500",
            $"{Pool}HealthCheck:UnhealthyThreshold=3",
            $"{Pool}HealthCheck:HealthyThreshold=1").Pools);

        Assert.Equal(
            new HealthCheckSettings
            {
                Mode = HealthCheckMode.Http,
                Path = "/healthz",
                Interval = TimeSpan.FromSeconds(5),
                Timeout = TimeSpan.FromMilliseconds(500),
                UnhealthyThreshold = 3,
                HealthyThreshold = 1,
            },
            pool.Settings.HealthCheck);
    }

    [Theory]
    [InlineData("Mode", "Ping", "must be one of None, Tcp, Http, WebSocket")]
    [InlineData("Mode", "2", "must be one of None, Tcp, Http, WebSocket")]
    [InlineData("Path", "health", "must be a path that starts with '/', e.g. /health")]
    [InlineData("Interval", "soon", "must be a duration (hh:mm:ss, e.g. 00:00:02) from 00:00:00.1000000 to 01:00:00")]
    [InlineData("Interval", "02:00:00", "must be a duration (hh:mm:ss, e.g. 00:00:02) from 00:00:00.1000000 to 01:00:00")]
    [InlineData("Timeout", "0", "must be a duration (hh:mm:ss, e.g. 00:00:02) from 00:00:00.0100000 to 00:05:00")]
    [InlineData("UnhealthyThreshold", "0", "must be a whole number from 1 to 100")]
    [InlineData("HealthyThreshold", "0", "must be a whole number from 1 to 100")]
    [InlineData("HealthyThreshold", "2.5", "must be a whole number from 1 to 100")]
    public void Load_BadHealthCheckValue_IsRefused(string key, string value, string allowed)
    {
        var error = Error($"{Pool}HealthCheck:{key}={value}");

        Assert.Equal(new ConfigurationError($"{Pool}HealthCheck:{key}", value, allowed), error);
    }

    [Fact]
    public void Load_BackendTls_IsRead()
    {
        var caFile = Path.GetTempFileName();
        try
        {
            var pool = Assert.Single(Load($"{Pool}BackendTls:CaFile={caFile}", $"{Pool}BackendTls:SkipCertificateValidation=true").Pools);

            Assert.Equal(new BackendTlsSettings { CaFile = caFile, SkipCertificateValidation = true }, pool.Settings.BackendTls);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Theory]
    [InlineData("CaFile", "/no/such/ca.pem", "must be the path of a PEM file of CA certificates that exists on this machine")]
    [InlineData("SkipCertificateValidation", "maybe", "must be true or false")]
    public void Load_BadBackendTlsValue_IsRefused(string key, string value, string allowed)
    {
        var error = Error($"{Pool}BackendTls:{key}={value}");

        Assert.Equal(new ConfigurationError($"{Pool}BackendTls:{key}", value, allowed), error);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("x/y")]
    [InlineData("chat!")]
    public void Load_BadPoolName_IsRefused(string name)
    {
        var error = Error($"WsOrleans:Pools:{name}:Path=/ws");

        Assert.Equal(
            new ConfigurationError($"WsOrleans:Pools:{name}", null, $"the pool name '{name}' must be 1 to 100 letters, digits, '.', '_' or '-'"),
            error);
    }

    [Fact]
    public void Load_MisspelledPoolKey_ListsTheKeysAPoolTakes()
    {
        var error = Error($"{Pool}Stratgy=RoundRobin");

        Assert.Equal(
            new ConfigurationError($"{Pool}Stratgy", "RoundRobin", "unknown key; WsOrleans:Pools:default takes Path, Strategy, HashKey, Affinity, Http, Rebalance, SlowStart, DegradedRouting, HealthCheck, BackendTls, Admission, Backends"),
            error);
    }

    [Fact]
    public void Load_MisspelledHealthCheckKey_ListsTheKeysItTakes()
    {
        var error = Error($"{Pool}HealthCheck:Intervall=00:00:05");

        Assert.Equal($"{Pool}HealthCheck:Intervall", error.Key);
        Assert.Equal("unknown key; WsOrleans:Pools:default:HealthCheck takes Mode, Path, Interval, Timeout, UnhealthyThreshold, HealthyThreshold", error.Allowed);
    }
}
