namespace WsOrleans.SignalRChat;

/// <summary>
/// Settings for one <see cref="ChatServer"/>.
/// </summary>
public sealed record ChatServerOptions
{
    /// <summary>The URL used when none is given: the loopback address on any free port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:0";

    /// <summary>The path prefix used when none is given.</summary>
    public const string DefaultBasePath = "/chat";

    /// <summary>
    /// The server's name, returned by the hub's <c>WhoAmI</c> and shown on the page. The default is <c>chat</c>.
    /// </summary>
    public string Id { get; init; } = "chat";

    /// <summary>
    /// The one <c>http://</c> URL Kestrel listens on; port 0 picks any free port. The default is <see cref="DefaultUrl"/>.
    /// </summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>
    /// Where the page (<c>{BasePath}/</c>) and the hub (<c>{BasePath}/hub</c>) live: a path that starts with
    /// <c>/</c> and does not end with one. The default is <see cref="DefaultBasePath"/>.
    /// </summary>
    public string BasePath { get; init; } = DefaultBasePath;

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

        if (BasePath is null || BasePath.Length < 2 || BasePath[0] != '/' || BasePath[^1] == '/' || BasePath.Contains("//", StringComparison.Ordinal)
            || BasePath.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '{' or '}' or '*' or '%'))
        {
            errors.Add($"{nameof(BasePath)} is '{BasePath}'; it must be a path such as {DefaultBasePath} or /apps/chat: a leading '/', no trailing '/', no query, no route parameters.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid chat server options: {string.Join(" ", errors)}");
        }
    }
}
