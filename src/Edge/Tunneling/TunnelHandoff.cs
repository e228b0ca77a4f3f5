using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// One handshake's hand-off from YARP to <see cref="Tunnel"/>. YARP forwards the handshake as
/// usual; the edge connects the backend socket itself (so it knows it) and intercepts the client
/// upgrade (so it knows when the <c>101</c> went out). From that moment YARP's copy loops see end
/// of stream on both sides and return, and the tunnel carries the bytes on the raw socket.
/// </summary>
internal sealed class TunnelHandoff
{
    public static readonly HttpRequestOptionsKey<TunnelHandoff> Key = new("WsOrleans.TunnelHandoff");

    /// <summary>The backend connection, once the handler has made it.</summary>
    public Socket? Backend { get; set; }

    /// <summary>The client's upgraded stream, once the client got its <c>101</c> (or <c>200</c> over HTTP/2).</summary>
    public Stream? Client { get; private set; }

    /// <summary>True once the client is upgraded: YARP must see no more data, the tunnel takes over.</summary>
    public bool TakenOver => Client is not null;

    public void TakeOver(Stream client) => Client = client;
}
