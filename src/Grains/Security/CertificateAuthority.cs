using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WsOrleans.Security;

/// <summary>
/// A private set of trusted roots read from a PEM file: a peer's certificate is accepted when it
/// chains to one of them, whatever the machine's own trust store says.
/// </summary>
public sealed class CertificateAuthority
{
    private readonly X509Certificate2Collection _roots;

    private CertificateAuthority(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Loads <paramref name="pemFile"/>; returns null on success, otherwise what is wrong with the file.</summary>
    public static string? TryLoad(string pemFile, out CertificateAuthority? authority)
    {
        authority = null;
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(pemFile);
            if (roots.Count == 0)
            {
                return "must be a PEM file with at least one CA certificate; it has none";
            }

            authority = new CertificateAuthority(roots);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"must be a readable PEM file of CA certificates ({e.Message})";
        }
    }

    /// <summary>Loads <paramref name="pemFile"/>, which configuration has already checked.</summary>
    public static CertificateAuthority Load(string pemFile) =>
        TryLoad(pemFile, out var authority) is { } error ? throw new InvalidOperationException($"{pemFile}: {error}") : authority!;

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to these roots. Name mismatches in
    /// <paramref name="errors"/> are the caller's to judge; every other TLS error refuses.
    /// </summary>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, bool checkName)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
