using System.Collections.Frozen;
using Microsoft.Net.Http.Headers;

namespace WsOrleans.Edge.Upgrade;

/// <summary>
/// Hop-by-hop and connection-specific headers (RFC 9110 7.6.1), as YARP leaves them out: neither the request sent to a
/// backend nor the answer relayed to the client carries them (the upgrade's own are written again). A handshake has no
/// body, so no framing either.
/// </summary>
internal static class HopByHopHeaders
{
    public static readonly FrozenSet<string> Names = new[]
    {
        HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive, HeaderNames.Upgrade, HeaderNames.ProxyConnection,
        HeaderNames.ProxyAuthenticate, "Proxy-Authentication-Info", HeaderNames.ProxyAuthorization, "Proxy-Features", "Proxy-Instruction",
        "Security-Scheme", "ALPN", "Close", "HTTP2-Settings", HeaderNames.UpgradeInsecureRequests, HeaderNames.TE, HeaderNames.AltSvc,
        HeaderNames.ContentLength,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
