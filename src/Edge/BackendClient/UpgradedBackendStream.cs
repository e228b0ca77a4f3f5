using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// The body of a backend's <c>101</c> as YARP sees it: the upgraded connection. Once the client is
/// upgraded and the tunnel takes over (see <see cref="TunnelHandoff"/>), it reads as ended and
/// leaves the connection, and the bytes the backend sent right after its <c>101</c>, to the
/// tunnel. Otherwise (YARP gave up on the upgrade) it is an ordinary stream over the connection.
/// </summary>
internal sealed class UpgradedBackendStream(ITunnelSide connection, ReadOnlyMemory<byte> after, TunnelHandoff? handoff) : Stream
{
    private ReadOnlyMemory<byte> _after = after;

    private bool TakenOver => handoff?.TakenOver == true;

    /// <summary>What the backend sent after its 101 that no one has read yet; the tunnel sends it to the client first.</summary>
    public ReadOnlyMemory<byte> Unread => _after;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakenOver)
        {
            return ValueTask.FromResult(0);
        }

        if (!_after.IsEmpty && !buffer.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _after.Length);
            _after[..count].CopyTo(buffer);
            _after = _after[count..];
            return ValueTask.FromResult(count);
        }

        return connection.ReadAsync(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => connection.WriteAsync(buffer);

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!TakenOver)
        {
            connection.Dispose();
        }
    }
}
