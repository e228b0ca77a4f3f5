using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>
/// How a <c>wss://</c> backend's certificate is checked under a pool's <see cref="BackendTlsSettings"/>;
/// shared by the edges (forwarded handshakes) and the silos (health probes), so both trust the same backends.
/// </summary>
public static class BackendCertificates
{
    /// <summary>
    /// The check for <paramref name="settings"/>: null for the machine's roots (the platform's own
    /// check), one that accepts anything when <see cref="BackendTlsSettings.SkipCertificateValidation"/>,
    /// or one that requires a chain to the CA bundle in <see cref="BackendTlsSettings.CaFile"/>, which is read now.
    /// </summary>
    public static Func<X509Certificate?, X509Chain?, SslPolicyErrors, bool>? Validator(BackendTlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SkipCertificateValidation)
        {
            return static (_, _, _) => true;
        }

        if (settings.CaFile is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(settings.CaFile);
        return (certificate, _, errors) => IsTrusted(certificate, errors, roots);
    }

    /// <summary>The name must match as usual; the chain must end in one of <paramref name="roots"/> instead of the machine's.</summary>
    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
