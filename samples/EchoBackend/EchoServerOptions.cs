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
    /// The one <c>http://</c> URL Kestrel listens on; port 0 picks any free port.
    /// The default is <see cref="DefaultUrl"/>.
    /// </summary>
    public string Url { get; init; } = DefaultUrl;

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

        if (string.IsNullOrWhiteSpace(Url) || !Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || Url.Contains(';'))
        {
            errors.Add($"{nameof(Url)} is '{Url}'; it must be one http:// URL such as {DefaultUrl}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid echo server options: {string.Join(" ", errors)}");
        }
    }
}
