using System.Security.Cryptography.X509Certificates;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Hosting.Security;

/// <summary>This process's certificate for cluster TLS, from the PEM files configuration names.</summary>
internal static class ClusterCertificate
{
    public static X509Certificate2 Load(ClusterTlsSettings tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);

        // On Linux, SslStream needs a key it can use as a server too: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
