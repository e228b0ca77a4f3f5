using System.Net.Sockets;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// The backend connection as YARP's HTTP handler sees it: an ordinary network stream until the
/// tunnel takes over, then an exhausted one that leaves the socket open for the tunnel.
/// </summary>
internal sealed class HandoffNetworkStream(Socket socket, TunnelHandoff handoff) : NetworkStream(socket, ownsSocket: true)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        handoff.TakenOver ? ValueTask.FromResult(0) : base.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        handoff.TakenOver ? Task.FromResult(0) : base.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(Span<byte> buffer) => handoff.TakenOver ? 0 : base.Read(buffer);

    public override int Read(byte[] buffer, int offset, int count) => handoff.TakenOver ? 0 : base.Read(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (!handoff.TakenOver)
        {
            base.Dispose(disposing);
        }
    }
}
