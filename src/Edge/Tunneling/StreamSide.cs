namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// A tunnel end on the stream the HTTP server gave for an upgraded request (HTTP/2, TLS, or a
/// connection that cannot be detached). Closing it cancels what is pending; the server closes the
/// connection when the request ends.
/// </summary>
internal sealed class StreamSide(Stream stream) : ITunnelSide
{
    private readonly CancellationTokenSource _closed = new();

    public ValueTask<int> WaitForDataAsync() => stream.ReadAsync(Memory<byte>.Empty, _closed.Token);

    public ValueTask<int> ReadAsync(Memory<byte> buffer) => stream.ReadAsync(buffer, _closed.Token);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data) => stream.WriteAsync(data, _closed.Token);

    public void EndWrites()
    {
        // An upgraded HTTP stream cannot be half-closed; the connection ends with the request.
    }

    public void Dispose() => _closed.Dispose();

    public void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
