namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The client's upgraded stream as YARP sees it after the hand-off: reading ends at once (the
/// tunnel reads the client), writing passes through (YARP may still deliver bytes the backend
/// sent in the same packet as its <c>101</c>), disposing leaves the real stream to the tunnel.
/// </summary>
internal sealed class HandoffClientStream(Stream client) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    public override int Read(byte[] buffer, int offset, int count) => 0;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        client.WriteAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => client.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => client.FlushAsync(cancellationToken);

    public override void Flush() => client.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
