using System.Net;
using System.Net.Sockets;
using System.Text;
using WsOrleans.Edge.Transport;

namespace WsOrleans.Tests.Unit.Transport;

/// <summary>Handing a client connection from the HTTP server to a tunnel: nothing the client sends is lost or kept back.</summary>
public sealed class EdgeSocketConnectionTests : IDisposable
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public EdgeSocketConnectionTests() => _listener.Start();

    [Fact]
    public async Task DetachedWhileReadingAfterAWakeUpWithNothingToRead_ReturnsAtOnceAndTheClientsNextBytesReachTheTunnel()
    {
        // .NET's wait for data wakes now and then with nothing to read; the second wait here does, so the receive loop
        // is in a read when the server upgrades the connection, and the client sends nothing until the backend speaks.
        var wakeWithNothing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waits = 0;
        var accepting = _listener.AcceptSocketAsync(_timeout);
        await _client.ConnectAsync(_listener.LocalEndpoint, _timeout);
        var connection = EdgeSocketConnection.Start(await accepting, socket =>
        {
            if (Interlocked.Increment(ref waits) == 2)
            {
                wakeWithNothing.SetResult();
                return ValueTask.FromResult(0);
            }

            return socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
        });

        await _client.SendAsync("GET /ws HTTP/1.1\r\n\r\n"u8.ToArray(), SocketFlags.None, _timeout);
        var request = await connection.Transport.Input.ReadAtLeastAsync(20, _timeout);
        Assert.Equal("GET /ws HTTP/1.1\r\n\r\n", Encoding.ASCII.GetString(request.Buffer));
        connection.Transport.Input.AdvanceTo(request.Buffer.End);
        await wakeWithNothing.Task.WaitAsync(_timeout);

        using var detached = await connection.DetachAsync().WaitAsync(_timeout);

        var rest = await connection.Transport.Input.ReadAsync(_timeout);
        Assert.True(rest.IsCompleted && rest.Buffer.IsEmpty, "the server should see its input end, with nothing left unread");
        await _client.SendAsync("after"u8.ToArray(), SocketFlags.None, _timeout);
        var buffer = new byte[16];
        var read = await detached.ReceiveAsync(buffer, SocketFlags.None, _timeout);
        Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, read));
    }

    public void Dispose()
    {
        _client.Dispose();
        _listener.Stop();
    }
}
