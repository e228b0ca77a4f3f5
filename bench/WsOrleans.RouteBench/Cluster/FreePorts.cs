using System.Net;
using System.Net.Sockets;

namespace WsOrleans.RouteBench.Cluster;

/// <summary>Loopback ports nothing listens on right now, so runs never clash with a silo or edge already on this machine.</summary>
internal static class FreePorts
{
    /// <summary>Takes <paramref name="count"/> distinct ports from the kernel's ephemeral range, holding them all until it returns.</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
