namespace WsOrleans.Bench.Clients.Raw;

/// <summary>The bytes under a raw WebSocket: the bare socket for <c>ws://</c>, TLS over it for <c>wss://</c>.</summary>
internal interface IRawTransport : IDisposable
{
    /// <summary>
    /// Receives into <paramref name="buffer"/> and returns the count; 0 is the end of the stream. An empty buffer waits
    /// until data (or the end) arrives without holding a buffer meanwhile.
    /// </summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends all of <paramref name="data"/>, in one send call when the socket takes it.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
