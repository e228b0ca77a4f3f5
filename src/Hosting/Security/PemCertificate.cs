using System.Security.Cryptography.X509Certificates;

namespace WsOrleans.Hosting.Security;

/// <summary>A certificate and its private key from PEM files (cluster TLS, the management listener).</summary>
public static class PemCertificate
{
    /// <summary>Loads <paramref name="certificatePath"/> with its key from <paramref name="keyPath"/>, or from the same file when null.</summary>
    public static X509Certificate2 Load(string certificatePath, string? keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // On Linux, SslStream needs a key it can use as a server too: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
