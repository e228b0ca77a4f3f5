using WsOrleans.Hosting.Configuration;
using static WsOrleans.Tests.Unit.Configuration.Config;

namespace WsOrleans.Tests.Unit.Configuration;

public sealed class ErrorReportingTests
{
    [Fact]
    public void Load_ManyMistakes_ReportsEveryOneAtOnce()
    {
        var exception = Assert.Throws<WsOrleansConfigurationException>(() => Load(
            "WsOrleans:Cluster:Mode=Cloud",
            "WsOrleans:Cluster:SiloPort=70000",
            "WsOrleans:Management:Urls=http://0.0.0.0:9901",
            "WsOrleans:Edge:Id=edge one",
            $"{Pool}Stratgy=RoundRobin",
            $"{Pool}Path=ws",
            $"{Pool}HealthCheck:Interval=soon",
            $"{Pool}Backends:0:Address=http://127.0.0.1:5001",
            $"{Pool}Backends:1:Address=ws://127.0.0.1:5002",
            $"{Pool}Backends:1:Weight=0",
            "WsOrleans:Pools:chat:Path=/chat",
            "WsOrleans:Pools:chat:Strategy=Hash"));

        Assert.Equal(
            new HashSet<string>
            {
                "WsOrleans:Cluster:Mode",
                "WsOrleans:Cluster:SiloPort",
                "WsOrleans:Management:ApiKey",
                "WsOrleans:Edge:Id",
                $"{Pool}Stratgy",
                $"{Pool}Path",
                $"{Pool}HealthCheck:Interval",
                $"{Pool}Backends:0:Address",
                $"{Pool}Backends:1:Weight",
                "WsOrleans:Pools:chat:HashKey",
            },
            exception.Errors.Select(e => e.Key).ToHashSet());
        Assert.Equal(10, exception.Errors.Count);
        Assert.StartsWith("Invalid configuration (10 errors):", exception.Message);
        Assert.All(exception.Errors, e => Assert.Contains(Environment.NewLine + "  " + e, exception.Message));
    }

    [Fact]
    public void ConfigurationError_WithValue_ShowsKeyValueAndWhatIsAllowed()
    {
        var error = new ConfigurationError("WsOrleans:Pools:default:Strategy", "Random", "must be one of RoundRobin, Hash");

        Assert.Equal("WsOrleans:Pools:default:Strategy = 'Random': must be one of RoundRobin, Hash", error.ToString());
    }

    [Fact]
    public void ConfigurationError_WithoutValue_ShowsKeyAndWhatIsAllowed()
    {
        var error = new ConfigurationError("WsOrleans:Pools:default:HashKey", null, "required by the Hash strategy");

        Assert.Equal("WsOrleans:Pools:default:HashKey: required by the Hash strategy", error.ToString());
    }

    [Fact]
    public void ConfigurationError_WithEmptyValue_ShowsTheEmptyQuotes()
    {
        var error = new ConfigurationError("WsOrleans:Pools:default:Path", "", "must be a path");

        Assert.Equal("WsOrleans:Pools:default:Path = '': must be a path", error.ToString());
    }

    [Fact]
    public void Exception_OneError_SaysErrorAndListsIt()
    {
        var exception = new WsOrleansConfigurationException([new ConfigurationError("K", "v", "allowed")]);

        Assert.Equal($"Invalid configuration (1 error):{Environment.NewLine}  K = 'v': allowed", exception.Message);
    }

    [Fact]
    public void Exception_TwoErrors_SaysErrorsAndListsOnePerLine()
    {
        var exception = new WsOrleansConfigurationException(
            [new ConfigurationError("A", "1", "first"), new ConfigurationError("B", null, "second")]);

        var nl = Environment.NewLine;
        Assert.Equal($"Invalid configuration (2 errors):{nl}  A = '1': first{nl}  B: second", exception.Message);
    }

    [Fact]
    public void Load_MisspelledTopLevelKey_ListsTheSectionsWsOrleansTakes()
    {
        var error = Error("WsOrleans:Pool:default:Path=/ws");

        Assert.Equal("WsOrleans:Pool", error.Key);
        Assert.Equal("unknown key; WsOrleans takes Cluster, Management, Edge, Pools", error.Allowed);
    }

    [Theory]
    [InlineData("WsOrleans:Pools:default:Backends", "ws://127.0.0.1:5001")]
    [InlineData("WsOrleans:Pools:default:Backends:0", "ws://127.0.0.1:5001")]
    [InlineData("WsOrleans:Pools:default:HealthCheck", "Tcp")]
    [InlineData("WsOrleans:Pools:default", "/ws")]
    [InlineData("WsOrleans:Cluster", "Localhost")]
    [InlineData("WsOrleans:Pools", "default")]
    [InlineData("WsOrleans", "on")]
    public void Load_ValueWhereASectionBelongs_IsRefused(string key, string value)
    {
        var errors = Errors($"{key}={value}");

        var error = Assert.Single(errors, e => e.Key == key);
        Assert.Equal(value, error.Value);
        Assert.StartsWith("must be a section", error.Allowed);
    }

    [Fact]
    public void Load_EmptyValueWhereASectionBelongs_IsNothing()
    {
        // What an empty JSON object or array, or an empty environment variable, gives.
        var settings = Load($"{Pool}Backends=", $"{Pool}HealthCheck=");

        Assert.Empty(Assert.Single(settings.Pools).Backends);
    }

    [Fact]
    public void Load_ValidConfiguration_ReportsNoErrors()
    {
        var settings = Load(
            "WsOrleans:Cluster:Mode=Localhost",
            "WsOrleans:Management:Urls=http://0.0.0.0:9901",
            "WsOrleans:Management:ApiKey=k",
            "WsOrleans:Edge:Id=edge-1",
            $"{Pool}Strategy=Hash",
            $"{Pool}HashKey=header:X-Room",
            $"{Pool}HealthCheck:Mode=WebSocket",
            $"{Pool}Backends:0:Address=ws://127.0.0.1:5001");

        Assert.Equal("edge-1", settings.Edge.Id);
    }
}
