using Microsoft.Extensions.Configuration;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;
using static WsOrleans.Tests.Unit.Configuration.Config;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class BackendSettingsTests
{
    private const string Backends = Pool + "Backends:";

    [Fact]
    public void Load_Backend_ReadsEveryField()
    {
        var pool = Assert.Single(Load(
            $"{Backends}0:Id=a",
            $"{Backends}0:Address=ws://127.0.0.1:5001",
            $"{Backends}0:Weight=3",
            $"{Backends}0:MaxConnections=500").Pools);

        // As IEnumerable: ImmutableArray's own Equals compares the arrays' references.
        Assert.Equal<BackendSettings>([new BackendSettings { Id = "a", Address = "ws://127.0.0.1:5001", Weight = 3, MaxConnections = 500 }], pool.Backends);
    }

    [Fact]
    public void Load_BackendWithOnlyAnAddress_HasWeightOneAndNoCap()
    {
        var backend = Assert.Single(Assert.Single(Load($"{Backends}0:Address=ws://127.0.0.1:5001").Pools).Backends);

        Assert.Equal(1, backend.Weight);
        Assert.Equal(0, backend.MaxConnections);
    }

    [Fact]
    public void Load_AddressWithEscapedPath_KeepsTheEscaping()
    {
        var backend = Assert.Single(Assert.Single(Load($"{Backends}0:Address=ws://127.0.0.1:5001/chat%20room/").Pools).Backends);

        Assert.Equal("ws://127.0.0.1:5001/chat%20room", backend.Address);
    }

    [Fact]
    public void Load_FromTheCommandLine_ReadsPoolAndBackends()
    {
        string[] args =
        [
            "--WsOrleans:Pools:default:Strategy=roundrobin",
            "--WsOrleans:Pools:default:Backends:0:Address=ws://127.0.0.1:5001",
            "--WsOrleans:Pools:default:Backends:1:Address=ws://127.0.0.1:5002",
            "--WsOrleans:Pools:default:Backends:1:Weight=2",
        ];

        var settings = WsOrleansSettings.Load(new ConfigurationBuilder().AddCommandLine(args).Build());

        var pool = Assert.Single(settings.Pools);
        Assert.Equal("RoundRobin", pool.Settings.Strategy);
        Assert.Equal<BackendSettings>(
            [
                new BackendSettings { Id = "127.0.0.1:5001", Address = "ws://127.0.0.1:5001" },
                new BackendSettings { Id = "127.0.0.1:5002", Address = "ws://127.0.0.1:5002", Weight = 2 },
            ],
            pool.Backends);
    }

    [Fact]
    public void Load_FromTheCommandLine_ReportsTheBadKey()
    {
        string[] args = ["--WsOrleans:Pools:default:Backends:0:Address=http://127.0.0.1:5001"];

        var error = Assert.Single(Assert.Throws<WsOrleansConfigurationException>(
            () => WsOrleansSettings.Load(new ConfigurationBuilder().AddCommandLine(args).Build())).Errors);

        Assert.Equal("WsOrleans:Pools:default:Backends:0:Address", error.Key);
        Assert.Equal("http://127.0.0.1:5001", error.Value);
    }

    [Fact]
    public void Load_ElevenBackends_KeepTheNumericOrderOfTheirIndexes()
    {
        var indexes = new[] { 10, 2, 9, 0, 1, 5, 3, 8, 4, 7, 6 };

        var pool = Assert.Single(Load([.. indexes.Select(i => $"{Backends}{i}:Address=ws://127.0.0.1:{5000 + i}")]).Pools);

        Assert.Equal(Enumerable.Range(5000, 11).Select(port => $"127.0.0.1:{port}"), pool.Backends.Select(b => b.Id));
    }

    [Theory]
    [InlineData("ws://127.0.0.1:5001", "127.0.0.1:5001")]
    [InlineData("wss://chat.example.com", "chat.example.com:443")]
    [InlineData("ws://chat.example.com/socket", "chat.example.com:80")]
    [InlineData("ws://[::1]:5001", "[::1]:5001")]
    public void Load_BackendWithoutId_IsNamedByHostAndPort(string address, string id)
    {
        var backend = Assert.Single(Assert.Single(Load($"{Backends}0:Address={address}").Pools).Backends);

        Assert.Equal(id, backend.Id);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:5001/", "ws://127.0.0.1:5001")]
    [InlineData(" ws://127.0.0.1:5001 ", "ws://127.0.0.1:5001")]
    [InlineData("WS://LocalHost:5001/chat/", "ws://localhost:5001/chat")]
    [InlineData("wss://chat.example.com:443/", "wss://chat.example.com")]
    public void Load_Address_IsNormalised(string written, string read)
    {
        var backend = Assert.Single(Assert.Single(Load($"{Backends}0:Address={written}").Pools).Backends);

        Assert.Equal(read, backend.Address);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001")]
    [InlineData("https://127.0.0.1:5001")]
    [InlineData("127.0.0.1:5001")]
    [InlineData("localhost:5001")]
    [InlineData("/backend")]
    [InlineData("ws://127.0.0.1:5001/?room=1")]
    [InlineData("ws://127.0.0.1:5001/#top")]
    [InlineData("ws://user:pw@127.0.0.1:5001")]
    [InlineData("")]
    public void Load_AddressThatIsNotWebSocket_IsRefused(string address)
    {
        var error = Error($"{Backends}0:Address={address}");

        Assert.Equal(
            new ConfigurationError(
                $"{Backends}0:Address",
                address,
                "must be a ws:// or wss:// address with a host, e.g. ws://127.0.0.1:5001, without a query or user name"),
            error);
    }

    [Fact]
    public void Load_BackendWithoutAddress_NamesTheAddressKey()
    {
        var error = Error($"{Backends}0:Id=a", $"{Backends}0:Weight=2");

        Assert.Equal($"{Backends}0:Address", error.Key);
        Assert.Null(error.Value);
    }

    [Fact]
    public void Load_DuplicateBackendId_NamesTheSecond()
    {
        var error = Error(
            $"{Backends}0:Id=a", $"{Backends}0:Address=ws://127.0.0.1:5001",
            $"{Backends}1:Id=a", $"{Backends}1:Address=ws://127.0.0.1:5002");

        Assert.Equal(
            new ConfigurationError($"{Backends}1:Id", "a", "another backend of this pool has the same id; ids must be unique in a pool"),
            error);
    }

    [Fact]
    public void Load_DuplicateAddressWithIds_NamesTheSecondAddress()
    {
        var error = Error(
            $"{Backends}0:Id=a", $"{Backends}0:Address=ws://127.0.0.1:5001",
            $"{Backends}1:Id=b", $"{Backends}1:Address=WS://127.0.0.1:5001/");

        Assert.Equal(
            new ConfigurationError($"{Backends}1:Address", "ws://127.0.0.1:5001", "backend 'a' of this pool has the same address"),
            error);
    }

    [Fact]
    public void Load_DuplicateAddressWithoutIds_NamesTheAddressNotAnUnwrittenId()
    {
        var error = Error($"{Backends}0:Address=ws://127.0.0.1:5001", $"{Backends}1:Address=ws://127.0.0.1:5001");

        Assert.Equal($"{Backends}1:Address", error.Key);
        Assert.Contains("same address", error.Allowed);
    }

    [Fact]
    public void Load_TwoPathsOnOneHostWithoutIds_AsksForIds()
    {
        var error = Error($"{Backends}0:Address=ws://127.0.0.1:5001/a", $"{Backends}1:Address=ws://127.0.0.1:5001/b");

        Assert.Equal($"{Backends}1:Id", error.Key);
        Assert.Null(error.Value);
        Assert.Contains("127.0.0.1:5001", error.Allowed);
        Assert.Contains("set an Id", error.Allowed);
    }

    [Fact]
    public void Load_TwoPathsOnOneHostWithIds_AreTwoBackends()
    {
        var pool = Assert.Single(Load(
            $"{Backends}0:Id=a", $"{Backends}0:Address=ws://127.0.0.1:5001/a",
            $"{Backends}1:Id=b", $"{Backends}1:Address=ws://127.0.0.1:5001/b").Pools);

        Assert.Equal(["ws://127.0.0.1:5001/a", "ws://127.0.0.1:5001/b"], pool.Backends.Select(b => b.Address));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void Load_WeightOutOfRange_IsRefused(string weight)
    {
        var error = Error($"{Backends}0:Address=ws://127.0.0.1:5001", $"{Backends}0:Weight={weight}");

        Assert.Equal(new ConfigurationError($"{Backends}0:Weight", weight, "must be a whole number from 1 to 10000"), error);
    }

    [Fact]
    public void Load_WeightTenThousand_IsAccepted()
    {
        var backend = Assert.Single(Assert.Single(Load($"{Backends}0:Address=ws://127.0.0.1:5001", $"{Backends}0:Weight=10000").Pools).Backends);

        Assert.Equal(10_000, backend.Weight);
    }

    [Fact]
    public void Load_NegativeMaxConnections_IsRefused()
    {
        var error = Error($"{Backends}0:Address=ws://127.0.0.1:5001", $"{Backends}0:MaxConnections=-1");

        Assert.Equal(new ConfigurationError($"{Backends}0:MaxConnections", "-1", $"must be a whole number from 0 to {int.MaxValue}"), error);
    }

    [Theory]
    [InlineData("backend a")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Load_BackendIdWithForbiddenCharacters_IsRefused(string id)
    {
        var error = Error($"{Backends}0:Id={id}", $"{Backends}0:Address=ws://127.0.0.1:5001");

        Assert.Equal($"{Backends}0:Id", error.Key);
        Assert.Equal(id, error.Value);
        Assert.StartsWith("must be 1 to 100 letters, digits", error.Allowed);
    }

    [Fact]
    public void Load_MisspelledBackendKey_ListsTheKeysABackendTakes()
    {
        var error = Error($"{Backends}0:Address=ws://127.0.0.1:5001", $"{Backends}0:Wieght=2");

        Assert.Equal(
            new ConfigurationError($"{Backends}0:Wieght", "2", $"unknown key; {Backends}0 takes Id, Address, Weight, MaxConnections"),
            error);
    }
}
