using System.Net;
using System.Net.Sockets;
using System.Text;
using WsOrleans.Edge.Tunneling.EventLoop;

namespace WsOrleans.Tests.Unit.Tunneling;

/// <summary>
/// Taking a tunnel's sockets over from .NET: the connections live on in the loop's descriptors, out of .NET's epoll
/// sets, and end gracefully.
/// </summary>
public sealed class DescriptorTakeoverTests : IDisposable
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly EventLoops _loops = new();
    private readonly List<IDisposable> _owned = [];

    public DescriptorTakeoverTests() => _listener.Start();

    [Fact]
    public async Task SocketsTakenOver_WhileTheClientHasAReceiveParked_CarryOnAndCloseWithAFinNotAReset()
    {
        // As on the edge: an accepted client connection, a backend connection the edge dialled; .NET has waited on both.
        var (client, clientPeer) = await ConnectedPairAsync();
        var (backendPeer, backend) = await ConnectedPairAsync();
        await backendPeer.SendAsync("101"u8.ToArray(), SocketFlags.None, _timeout);
        Assert.Equal("101", await ReceiveTextAsync(backend, 3));

        // The HTTP server leaves a zero-byte receive parked on a client connection it hands over.
        var parked = client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _timeout).AsTask();
        Assert.True(_loops.TryTakeOver(client, backend, out var clientFd, out var backendFd));

        // .NET has let go of both: the parked receive ended, nothing is left open through the sockets, and no epoll set
        // (.NET's, or the loops', which have no tunnel here) would wake anyone for them.
        await Assert.ThrowsAnyAsync<SocketException>(() => parked);
        Assert.Throws<ObjectDisposedException>(() => client.Available);
        Assert.Throws<ObjectDisposedException>(() => backend.Available);
        Assert.Empty(EpollSetsWatching(clientFd));
        Assert.Empty(EpollSetsWatching(backendFd));

        foreach (var (fd, peer) in new[] { (clientFd, clientPeer), (backendFd, backendPeer) })
        {
            Assert.Equal(5, SendAll(fd, "hello"u8));
            Assert.Equal("hello", await ReceiveTextAsync(peer, 5));

            // Disposing of a socket with a receive parked on it would have made closing it send a reset.
            Assert.Equal(0, LinuxSockets.Close(fd));
            Assert.Equal(0, await peer.ReceiveAsync(new byte[16], SocketFlags.None, _timeout));
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _loops.Dispose();
        _listener.Stop();
    }

    private async Task<(Socket Accepted, Socket Peer)> ConnectedPairAsync()
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _owned.Add(peer);
        var accepting = _listener.AcceptSocketAsync(_timeout).AsTask();
        await peer.ConnectAsync(_listener.LocalEndpoint, _timeout);
        var accepted = await accepting;
        _owned.Add(accepted);
        return (accepted, peer);
    }

    /// <summary>The process's epoll descriptors with a registration for the connection <paramref name="fd"/> refers to.</summary>
    private static List<string> EpollSetsWatching(int fd)
    {
        // /proc lists a registration by the inode of the open file it watches, in hex: the connection, whatever its number.
        var link = new FileInfo($"/proc/self/fd/{fd}").LinkTarget!;
        var inode = $"ino:{long.Parse(link["socket:[".Length..^1], System.Globalization.CultureInfo.InvariantCulture):x} ";
        var watching = new List<string>();
        foreach (var entry in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            try
            {
                if (entry.LinkTarget == "anon_inode:[eventpoll]" && File.ReadAllText($"/proc/self/fdinfo/{entry.Name}").Contains(inode, StringComparison.Ordinal))
                {
                    watching.Add(entry.Name);
                }
            }
            catch (IOException)
            {
                // Closed while listed (other tests run meanwhile).
            }
        }

        return watching;
    }

    private static int SendAll(int fd, ReadOnlySpan<byte> data)
    {
        using var borrowed = new Socket(new SafeSocketHandle(fd, ownsHandle: false)) { Blocking = false };
        return borrowed.Send(data);
    }

    private async Task<string> ReceiveTextAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _timeout);
            Assert.True(read > 0, "the connection ended early");
            filled += read;
        }

        return Encoding.ASCII.GetString(buffer);
    }
}
