using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>A plain <c>ws://</c> connection: the socket itself. Sends that complete at once allocate nothing.</summary>
internal sealed class SocketTransport(Socket socket) : IRawTransport
{
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var pending = socket.SendAsync(data, SocketFlags.None, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitSendAsync(pending, data, cancellationToken);
        }

        var sent = pending.Result;
        return sent == data.Length ? default : SendRestAsync(data[sent..], cancellationToken);
    }

    public void Dispose() => socket.Dispose();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitSendAsync(ValueTask<int> pending, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var sent = await pending;
        if (sent < data.Length)
        {
            await SendRestAsync(data[sent..], cancellationToken);
        }
    }

    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        while (!rest.IsEmpty)
        {
            var sent = await socket.SendAsync(rest, SocketFlags.None, cancellationToken);
            if (sent == 0)
            {
                throw new BenchException(ErrorKinds.ConnectionClosed, "The socket accepted no bytes of a frame.");
            }

            rest = rest[sent..];
        }
    }
}
