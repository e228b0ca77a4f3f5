namespace WsOrleans.Routing;

/// <summary>Where in a WebSocket handshake a hashing or affinity key is read from.</summary>
public enum RequestKeyKind
{
    /// <summary>A query-string parameter (<c>query:NAME</c>).</summary>
    Query,

    /// <summary>A request header (<c>header:NAME</c>).</summary>
    Header,

    /// <summary>A cookie (<c>cookie:NAME</c>).</summary>
    Cookie,

    /// <summary>The request path (<c>path</c>).</summary>
    Path,

    /// <summary>The client's address; what <c>IpHash</c> hashes. Not written in configuration.</summary>
    ClientAddress,
}
