namespace WsOrleans.Pools;

/// <summary>How edges check the certificates of a pool's <c>wss://</c> backends.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-tls-settings")]
public sealed record class BackendTlsSettings
{
    /// <summary>
    /// A PEM file of CA certificates the backends' certificates must chain to, instead of the
    /// machine's trusted roots. The path is read on each edge. The default is none (the machine's roots).
    /// </summary>
    [Id(0)] public string? CaFile { get; init; }

    /// <summary>Accept any backend certificate (self-signed test setups only; edges log it). The default is false.</summary>
    [Id(1)] public bool SkipCertificateValidation { get; init; }
}
