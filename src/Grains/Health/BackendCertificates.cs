using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using WsOrleans.Pools;
using WsOrleans.Security;

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

        var authority = CertificateAuthority.Load(settings.CaFile);
        return (certificate, _, errors) => authority.Accepts(certificate, errors, checkName: true);
    }
}
