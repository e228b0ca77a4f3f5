using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using WsOrleans.Pools;
using WsOrleans.Security;

namespace WsOrleans.Dialing;

/// <summary>
/// How a <c>wss://</c> backend's certificate is checked under a pool's <see cref="BackendTlsSettings"/>;
/// shared by the edges (forwarded handshakes) and the silos (health probes), so both trust the same backends.
/// </summary>
public static class BackendCertificates
{
    private static readonly ConcurrentDictionary<BackendTlsSettings, RemoteCertificateValidationCallback?> Callbacks = new();

    /// <summary>
    /// The check for <paramref name="settings"/> as a TLS callback, made once per settings (a CA bundle is read once):
    /// null for the machine's roots.
    /// </summary>
    public static RemoteCertificateValidationCallback? Callback(BackendTlsSettings? settings) =>
        Callbacks.GetOrAdd(settings ?? new BackendTlsSettings(), static s =>
            Validator(s) is { } validate ? (_, certificate, chain, errors) => validate(certificate, chain, errors) : null);

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
