using WsOrleans.Security;

namespace WsOrleans.Cli.Management;

/// <summary>
/// Which management listener to talk to and with which key: <c>--edge</c>, else <c>WSORLEANS_EDGE</c>, else
/// <see cref="DefaultUrl"/>; <c>--api-key</c>, else <c>WSORLEANS_API_KEY</c>, else none.
/// </summary>
internal sealed record class EdgeTarget(Uri BaseAddress, string Source, string? ApiKey, string? ApiKeySource)
{
    public const string CaFileVariable = "WSORLEANS_CA_FILE";

    /// <summary>How an https:// listener's certificate is checked: against the system's roots (null), a private CA, or not at all.</summary>
    public ListenerTrust? Trust { get; private init; }

    public const string DefaultUrl = "http://127.0.0.1:9901";

    public const string EdgeVariable = "WSORLEANS_EDGE";

    public const string ApiKeyVariable = "WSORLEANS_API_KEY";

    /// <summary>The URL as the user gave it, without the trailing slash added for combining paths.</summary>
    public string Url => BaseAddress.AbsolutePath == "/" ? BaseAddress.GetLeftPart(UriPartial.Authority) : BaseAddress.AbsoluteUri.TrimEnd('/');

    /// <summary>Resolves the options and the environment; a malformed URL is a <see cref="ExitCodes.Usage"/> error naming where it came from.</summary>
    public static EdgeTarget Resolve(string? edgeOption, string? apiKeyOption, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (text, source) = NonEmpty(edgeOption) is { } fromOption ? (fromOption, "--edge")
            : NonEmpty(environment(EdgeVariable)) is { } fromEnvironment ? (fromEnvironment, EdgeVariable)
            : (DefaultUrl, "the default");

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https")
            || url.Host.Length == 0
            || url.Query.Length > 0
            || url.Fragment.Length > 0
            || url.UserInfo.Length > 0)
        {
            throw new CommandFailedException(
                ExitCodes.Usage,
                $"{source} = '{text}': must be the http:// or https:// URL of an edge's management listener (WsOrleans:Management:Urls), e.g. {DefaultUrl}, without a query or user name.");
        }

        // A trailing slash makes relative paths land under a path prefix (a listener behind a reverse proxy).
        var baseAddress = url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        var (apiKey, apiKeySource) = NonEmpty(apiKeyOption) is { } keyFromOption ? (keyFromOption, "--api-key")
            : NonEmpty(environment(ApiKeyVariable)) is { } keyFromEnvironment ? (keyFromEnvironment, ApiKeyVariable)
            : ((string?)null, (string?)null);
        return new EdgeTarget(baseAddress, source, apiKey, apiKeySource);
    }

    /// <summary>
    /// Adds how to check an https:// listener: <c>--insecure</c>; else <c>--ca-file</c>, else
    /// <c>WSORLEANS_CA_FILE</c>; else the system's trusted roots. A CA file that cannot be read is a
    /// <see cref="ExitCodes.Usage"/> error naming where it came from.
    /// </summary>
    public EdgeTarget WithTls(string? caFileOption, bool insecure, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (insecure)
        {
            return this with { Trust = ListenerTrust.Anything };
        }

        var (path, source) = NonEmpty(caFileOption) is { } fromOption ? (fromOption, "--ca-file")
            : NonEmpty(environment(CaFileVariable)) is { } fromEnvironment ? (fromEnvironment, CaFileVariable)
            : ((string?)null, (string?)null);
        if (path is null)
        {
            return this;
        }

        if (CertificateAuthority.TryLoad(path.Trim(), out var authority) is { } error)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{source} = '{path}': {error}.");
        }

        return this with { Trust = ListenerTrust.SignedBy(authority!, source!) };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
