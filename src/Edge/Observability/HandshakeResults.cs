namespace WsOrleans.Edge.Observability;

/// <summary>The <c>result</c> tag of <c>wsorleans.edge.handshakes</c>.</summary>
internal static class HandshakeResults
{
    /// <summary>Upgraded: the tunnel is open.</summary>
    public const string Ok = "ok";

    /// <summary>The edge refused a request that was not a good handshake (4xx: no pool on the path, malformed, not WebSocket).</summary>
    public const string ClientError = "4xx";

    /// <summary>The pool's admission refused it: an origin it does not allow (403), or a client over its limits (429).</summary>
    public const string Refused = "refused";

    /// <summary>The edge had no backend for it, or the cluster did not answer (503).</summary>
    public const string Unavailable = "503";

    /// <summary>The backend answered the handshake with something other than an upgrade; its answer was relayed.</summary>
    public const string BackendRefused = "backend_refused";

    /// <summary>The backend could not be reached or did not answer in time (502, 504).</summary>
    public const string BackendError = "backend_error";

    /// <summary>One backend failed the handshake before anything reached the client, and another one is tried; the final result is counted too.</summary>
    public const string Retried = "retried";

    public static string Of(int statusCode, bool upgraded) =>
        upgraded || statusCode is StatusCodes.Status101SwitchingProtocols ? Ok
        : statusCode is StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout ? BackendError
        : BackendRefused;
}
