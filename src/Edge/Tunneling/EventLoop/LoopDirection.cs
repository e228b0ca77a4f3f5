namespace WsOrleans.Edge.Tunneling.EventLoop;

/// <summary>One direction of a <see cref="LoopTunnel"/>: the frames followed, the bytes carried, and the edge's own close.</summary>
internal sealed class LoopDirection(bool towardBackend)
{
    public long Bytes;

    public bool TowardBackend { get; } = towardBackend;

    public FrameTracker Frames { get; } = new();

    public byte[]? PendingClose { get; set; }

    public bool EdgeClosed { get; set; }

    public bool CloseNoticed { get; set; }
}
