using System.Net;
using System.Net.Sockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Loopback ports for Orleans silos, which must be told their ports up front (Kestrel takes port 0 instead).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
