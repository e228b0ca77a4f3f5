using System.Net;
using System.Net.Sockets;
using System.Text;
using WsOrleans.Edge.Tunneling.EventLoop;

namespace WsOrleans.Tests.Unit.Tunneling;

/// <summary>Taking a tunnel's sockets over from .NET: the connections live on in the loop's descriptors and end gracefully.</summary>
public sealed class DescriptorTakeoverTests : IDisposable
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly EventLoops _loops = new();
    private readonly List<IDisposable> _owned = [];

    public DescriptorTakeoverTests()
    {
        _listener.Start();

        // The loops list .NET's epoll sets when they start, as they do on the edge's first tunnel.
        _ = _loops.Next();
    }

    [Fact]
    public async Task SocketsTakenOver_WhileTheClientHasAReceiveParked_CarryOnAndCloseWithAFinNotAReset()
    {
        var (client, clientPeer) = await ConnectedPairAsync();
        var (backend, backendPeer) = await ConnectedPairAsync();

        // The HTTP server leaves a zero-byte receive parked on a client connection it hands over.
        var parked = client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _timeout).AsTask();
        Assert.True(DescriptorTakeover.TryTake(client, backend, out var clientFd, out var backendFd));

        // .NET has let go of both: the parked receive ended, and nothing is left open through the sockets.
        await Assert.ThrowsAnyAsync<SocketException>(() => parked);
        Assert.Throws<ObjectDisposedException>(() => client.Available);
        Assert.Throws<ObjectDisposedException>(() => backend.Available);

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
