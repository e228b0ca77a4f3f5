namespace WsOrleans.Bench.Scenarios;

/// <summary>Where and how every scenario connects.</summary>
internal sealed record ConnectionSettings
{
    /// <summary>The <c>ws://</c> or <c>wss://</c> URLs to open WebSockets to; connections take them in turn.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>The URLs as given, for reports.</summary>
    public string UrlText => string.Join(",", Urls);

    /// <summary>The client implementation, one of <see cref="Clients.WebSocketClients.Names"/>. The default is <c>raw</c>.</summary>
    public string Client { get; init; } = Clients.WebSocketClients.Raw;

    /// <summary>How long one TCP connect plus upgrade may take before it counts as <c>connectTimeout</c>. The default is 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A PEM file whose certificates are the only ones trusted for <c>wss://</c> (a self-signed test certificate, say);
    /// null, the default, trusts the machine's roots.
    /// </summary>
    public string? TrustedCertificates { get; init; }
}
