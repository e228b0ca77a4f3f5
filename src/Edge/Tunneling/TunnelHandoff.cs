using System.Net.Security;
using WsOrleans.Edge.BackendClient;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// One handshake's hand-off from YARP to <see cref="Tunnel"/>. YARP forwards the handshake as
/// usual; the edge's own HTTP client makes the backend connection (so the edge knows it) and the edge
/// intercepts the client upgrade (so it knows when the <c>101</c> went out). From that moment
/// YARP's copy loops see end of stream on both sides and return, and the tunnel carries the bytes.
/// </summary>
internal sealed class TunnelHandoff(SslClientAuthenticationOptions? tls)
{
    public static readonly HttpRequestOptionsKey<TunnelHandoff> Key = new("WsOrleans.TunnelHandoff");

    /// <summary>How to check a <c>wss://</c> backend's certificate (null for <c>ws://</c>).</summary>
    public SslClientAuthenticationOptions? Tls { get; } = tls;

    /// <summary>The backend connection, once the backend answered the handshake with a 101.</summary>
    public ITunnelSide? Backend { get; private set; }

    /// <summary>The backend side of the upgraded connection as YARP sees it; holds what the backend sent right after its 101.</summary>
    public UpgradedBackendStream? BackendStream { get; private set; }

    /// <summary>The client's upgraded stream, once the client got its <c>101</c> (or <c>200</c> over HTTP/2).</summary>
    public Stream? Client { get; private set; }

    /// <summary>True once the client is upgraded: YARP must see no more data, the tunnel takes over.</summary>
    public bool TakenOver => Client is not null;

    public void Connected(ITunnelSide backend, UpgradedBackendStream stream)
    {
        Backend = backend;
        BackendStream = stream;
    }

    public void TakeOver(Stream client) => Client = client;
}
