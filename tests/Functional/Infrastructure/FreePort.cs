using System.Net;
using System.Net.Sockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// Loopback ports for listeners that must be told their port up front (Orleans silos, child
/// processes). They come from below the kernel's ephemeral range: a port the kernel hands out
/// for "any free port" is also one it hands to outgoing connections, and the load tests open
/// thousands of those, so one could take the port in the seconds before a child process binds it.
/// </summary>
internal static class FreePort
{
    private const int Lowest = 10_000;

    private static readonly int Highest = EphemeralRangeStart() - 1;

    // A starting point of this process's own keeps test processes running side by side apart.
    private static int _last = Lowest + Random.Shared.Next(Highest - Lowest);

    public static int Next()
    {
        for (var tries = 0; tries < Highest - Lowest; tries++)
        {
            var port = Interlocked.Increment(ref _last);
            if (port > Highest)
            {
                Interlocked.CompareExchange(ref _last, Lowest, port);
                continue;
            }

            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range (32768 unless configured otherwise).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture) is var start && start > Lowest + 1000 ? start : 32_768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
