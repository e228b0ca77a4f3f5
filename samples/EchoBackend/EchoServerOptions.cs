namespace WsOrleans.EchoBackend;

/// <summary>
/// Settings for one <see cref="EchoServer"/>.
/// </summary>
public sealed record EchoServerOptions
{
    /// <summary>The URL used when none is given: the loopback address on any free port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:0";

    /// <summary>
    /// The server's name, returned by the <c>whoami</c> message and by <c>GET /stats</c>.
    /// The default is <c>echo</c>.
    /// </summary>
    public string Id { get; init; } = "echo";

    /// <summary>
    /// The one <c>http://</c> (or, with a <see cref="Certificate"/>, <c>https://</c>) URL Kestrel
    /// listens on; port 0 picks any free port. The default is <see cref="DefaultUrl"/>.
    /// </summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>The server's TLS certificate, for an <c>https://</c> URL (a <c>wss://</c> backend). The default is none.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// The initial value of <see cref="EchoServer.RejectHandshakes"/>: when true, WebSocket handshakes
    /// are refused with HTTP 500. The default is false.
    /// </summary>
    public bool RejectHandshakes { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            errors.Add($"{nameof(Id)} is '{Id}'; it must be a non-empty name.");
        }

        var scheme = Certificate is null ? "http://" : "https://";
        if (string.IsNullOrWhiteSpace(Url) || !Url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || Url.Contains(';'))
        {
            errors.Add($"{nameof(Url)} is '{Url}'; it must be one {scheme} URL such as {scheme}127.0.0.1:0{(Certificate is null ? "" : " (an https:// URL needs a Certificate)")}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid echo server options: {string.Join(" ", errors)}");
        }
    }
}
