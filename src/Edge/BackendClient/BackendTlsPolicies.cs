using System.Collections.Concurrent;
using System.Net.Security;
using WsOrleans.Health;
using WsOrleans.Pools;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// How this edge checks <c>wss://</c> (and <c>https://</c>) backends' certificates, per pool: the machine's
/// roots by default, a pool's own CA bundle (read once from the pool's <c>CaFile</c> on this machine), or,
/// when a pool says so, nothing at all, which is logged once per pool.
/// </summary>
internal sealed partial class BackendTlsPolicies(ILogger<BackendTlsPolicies> logger)
{
    private readonly ConcurrentDictionary<BackendTlsSettings, RemoteCertificateValidationCallback?> _callbacks = new();

    /// <summary>The options for a TLS handshake with <paramref name="host"/>, a backend of <paramref name="pool"/>.</summary>
    public SslClientAuthenticationOptions For(string pool, BackendTlsSettings? settings, string host) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = Callback(pool, settings),
    };

    /// <summary>The certificate check of <paramref name="pool"/>'s backends; null for the machine's default check.</summary>
    public RemoteCertificateValidationCallback? Callback(string pool, BackendTlsSettings? settings) =>
        _callbacks.GetOrAdd(settings ?? new BackendTlsSettings(), s =>
        {
            if (s.SkipCertificateValidation)
            {
                Log.ValidationOff(logger, pool);
            }

            return BackendCertificates.Validator(s) is { } validate
                ? (_, certificate, chain, errors) => validate(certificate, chain, errors)
                : null;
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Certificate validation of pool {Pool}'s wss:// backends is OFF (BackendTls:SkipCertificateValidation): any certificate is accepted")]
        public static partial void ValidationOff(ILogger logger, string pool);
    }
}
