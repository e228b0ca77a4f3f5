namespace WsOrleans.Hosting.Configuration;

/// <summary>
/// <c>WsOrleans:Cluster:Tls</c>: mutual TLS on every cluster connection (silo to silo, edge to
/// silo). Each process presents its certificate and accepts only peers whose certificates chain to
/// <see cref="CaFile"/>. Off when no certificate is configured.
/// </summary>
public sealed record class ClusterTlsSettings
{
    /// <summary>This process's certificate, a PEM file.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The certificate's private key, a PEM file; none when <see cref="CertificatePath"/> holds it too.</summary>
    public string? KeyPath { get; init; }

    /// <summary>A PEM file of the CA certificates every peer's certificate must chain to.</summary>
    public string? CaFile { get; init; }

    /// <summary>Whether cluster connections use TLS.</summary>
    public bool Enabled => CertificatePath is not null;
}
