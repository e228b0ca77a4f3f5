namespace WsOrleans.Bench.Clients;

/// <summary>
/// One open client WebSocket. Not thread-safe: at most one send and one receive at a time, and the
/// benchmarks never overlap them.
/// </summary>
internal interface IWebSocketConnection : IDisposable
{
    /// <summary>Sends <paramref name="payload"/> as one binary message in a single frame.</summary>
    ValueTask SendBinaryAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the next data message and returns its length; the payload itself is discarded. Pings are
    /// answered and pongs skipped on the way. A close frame or a dropped connection throws
    /// <see cref="BenchException"/>.
    /// </summary>
    ValueTask<int> ReceiveMessageAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Idles until the server closes or drops the connection and returns the error kind, or returns
    /// <see langword="null"/> when <paramref name="cancellationToken"/> fires first; the connection then stays
    /// usable for <see cref="CloseAsync"/>. Nothing else may be called while it waits.
    /// </summary>
    Task<string?> WaitForDropAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs the close handshake (close 1000, wait for the server's close frame and its end of the TCP stream) and
    /// releases the connection. Throws if that does not finish within <paramref name="timeout"/>.
    /// </summary>
    Task CloseAsync(TimeSpan timeout);

    /// <summary>Drops the connection at once, without a close handshake.</summary>
    void Abort();
}
