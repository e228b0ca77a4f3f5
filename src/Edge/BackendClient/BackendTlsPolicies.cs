using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using WsOrleans.Health;
using WsOrleans.Pools;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// How this edge checks <c>wss://</c> backends' certificates, per pool: the machine's roots by
/// default, a pool's own CA bundle (read once from the pool's <c>CaFile</c> on this machine), or,
/// when a pool says so, nothing at all, which is logged once per pool.
/// </summary>
internal sealed partial class BackendTlsPolicies(ILogger<BackendTlsPolicies> logger)
{
    private readonly ConcurrentDictionary<BackendTlsSettings, Func<X509Certificate?, X509Chain?, SslPolicyErrors, bool>?> _validators = new();

    /// <summary>The options for a TLS handshake with <paramref name="host"/>, a backend of <paramref name="pool"/>.</summary>
    public SslClientAuthenticationOptions For(string pool, BackendTlsSettings? settings, string host) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = Validator(pool, settings ?? new BackendTlsSettings()) is { } validate
            ? (_, certificate, chain, errors) => validate(certificate, chain, errors)
            : null,
    };

    private Func<X509Certificate?, X509Chain?, SslPolicyErrors, bool>? Validator(string pool, BackendTlsSettings settings) =>
        _validators.GetOrAdd(settings, s =>
        {
            if (s.SkipCertificateValidation)
            {
                Log.ValidationOff(logger, pool);
            }

            return BackendCertificates.Validator(s);
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Certificate validation of pool {Pool}'s wss:// backends is OFF (BackendTls:SkipCertificateValidation): any certificate is accepted")]
        public static partial void ValidationOff(ILogger logger, string pool);
    }
}
