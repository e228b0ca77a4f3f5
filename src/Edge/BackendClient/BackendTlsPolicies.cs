using System.Collections.Concurrent;
using System.Net.Security;
using WsOrleans.Dialing;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// How this edge checks <c>wss://</c> (and <c>https://</c>) backends' certificates, per pool: the machine's roots by
/// default, a pool's own CA bundle, or, when a pool says so, nothing at all, which is logged once per pool. The checks
/// themselves are <see cref="BackendCertificates"/>', the silos' health probes' too.
/// </summary>
internal sealed partial class BackendTlsPolicies(ILogger<BackendTlsPolicies> logger)
{
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);

    /// <summary>The certificate check of <paramref name="pool"/>'s backends; null for the machine's default check.</summary>
    public RemoteCertificateValidationCallback? Callback(string pool, BackendTlsSettings? settings)
    {
        if (settings is { SkipCertificateValidation: true } && _warned.TryAdd(pool, 0))
        {
            Log.ValidationOff(logger, pool);
        }

        return BackendCertificates.Callback(settings);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.BackendClient.ValidationOff, Level = LogLevel.Warning, Message = "Certificate validation of pool {Pool}'s wss:// backends is OFF (BackendTls:SkipCertificateValidation): any certificate is accepted")]
        public static partial void ValidationOff(ILogger logger, string pool);
    }
}
