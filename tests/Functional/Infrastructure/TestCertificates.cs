using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>A throwaway certificate authority and the server certificates it signs, for TLS tests on 127.0.0.1.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);

    public TestCertificates(string name = "WsOrleans test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        Directory = System.IO.Directory.CreateTempSubdirectory("wsorleans-tls-").FullName;
        CaFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    public string Directory { get; }

    /// <summary>The authority's certificate as a PEM file.</summary>
    public string CaFile { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost signed by the authority, with its private key.</summary>
    public X509Certificate2 Server(string subject = "127.0.0.1") => Issue(subject, ServerAuthentication);

    /// <summary>A certificate a cluster member (silo or edge) presents both as a TLS server and as a client.</summary>
    public X509Certificate2 ClusterMember(string subject) => Issue(subject, ServerAuthentication, ClientAuthentication);

    private static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1");

    private static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2");

    private X509Certificate2 Issue(string subject, params Oid[] usages)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // Kestrel on Linux wants a certificate whose key it can use: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files (for Kestrel's configuration) and returns their paths.</summary>
    public (string Certificate, string Key) WritePem(X509Certificate2 certificate, string name)
    {
        var certificatePath = Path.Combine(Directory, name + ".pem");
        var keyPath = Path.Combine(Directory, name + ".key");
        File.WriteAllText(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return (certificatePath, keyPath);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this authority (what a client of a test server checks).</summary>
    public bool Trusts(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
