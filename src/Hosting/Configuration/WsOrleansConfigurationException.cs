namespace WsOrleans.Hosting.Configuration;

/// <summary>Start-up stops on bad configuration; the message lists every bad key.</summary>
public sealed class WsOrleansConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception(Describe(errors))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;

    private static string Describe(IReadOnlyList<ConfigurationError> errors) =>
        $"Invalid configuration ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
