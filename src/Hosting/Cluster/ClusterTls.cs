using Orleans.Connections.Security;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Hosting.Security;
using WsOrleans.Security;

namespace WsOrleans.Hosting.Cluster;

/// <summary>
/// Mutual TLS on cluster connections: both ends present a certificate and accept only one that chains
/// to the cluster's CA. Silos dial each other by IP address, which certificates rarely name, so the
/// CA is the identity: any certificate it signed is a member of this cluster.
/// </summary>
internal static class ClusterTls
{
    public static void Configure(TlsOptions options, ClusterTlsSettings settings)
    {
        var authority = CertificateAuthority.Load(settings.CaFile!);
        options.LocalCertificate = PemCertificate.Load(settings.CertificatePath!, settings.KeyPath);
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, errors) => authority.Accepts(certificate, errors, checkName: false);
    }
}
