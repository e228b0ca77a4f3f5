using Microsoft.Extensions.Configuration;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Tests.Unit.Configuration;

/// <summary>Builds configuration from <c>Key=Value</c> pairs, written as a user writes them on the command line.</summary>
internal static class Config
{
    /// <summary>The prefix of the keys of a pool named <c>default</c>.</summary>
    public const string Pool = "WsOrleans:Pools:default:";

    public static IConfiguration From(params string[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(Split)).Build();

    public static WsOrleansSettings Load(params string[] pairs) => WsOrleansSettings.Load(From(pairs));

    /// <summary>The errors <see cref="WsOrleansSettings.Load"/> throws for <paramref name="pairs"/>; fails when it does not throw.</summary>
    public static IReadOnlyList<ConfigurationError> Errors(params string[] pairs) =>
        Assert.Throws<WsOrleansConfigurationException>(() => Load(pairs)).Errors;

    /// <summary>The one error for <paramref name="pairs"/>; fails when there is none or more than one.</summary>
    public static ConfigurationError Error(params string[] pairs) => Assert.Single(Errors(pairs));

    private static KeyValuePair<string, string?> Split(string pair)
    {
        var equals = pair.IndexOf('=');
        return equals > 0
            ? KeyValuePair.Create(pair[..equals], (string?)pair[(equals + 1)..])
            : throw new ArgumentException($"'{pair}' is not Key=Value", nameof(pair));
    }
}
