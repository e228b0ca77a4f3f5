namespace WsOrleans.Hosting.Configuration;

/// <summary><c>WsOrleans:Management</c>: the listener for status, metrics and the admin API.</summary>
public sealed record class ManagementSettings
{
    /// <summary>The default management listener: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:9901";

    /// <summary>Semicolon-separated URLs; empty turns the listener off. The default is <c>http://127.0.0.1:9901</c>.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Each URL of <see cref="Urls"/>.</summary>
    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The bearer key admin requests must present; required when a URL is not loopback.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>The certificate of the <c>https://</c> URLs, a PEM file; required when one of them is https.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The certificate's private key, a PEM file; none when <see cref="CertificatePath"/> holds it too.</summary>
    public string? KeyPath { get; init; }
}
