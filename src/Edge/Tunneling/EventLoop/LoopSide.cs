using System.Buffers;

namespace WsOrleans.Edge.Tunneling.EventLoop;

/// <summary>One socket of a <see cref="LoopTunnel"/>: its descriptor, what the loop watches it for, and what it has not taken yet.</summary>
internal sealed class LoopSide(int fd, TunnelEnd end)
{
    /// <summary>An <see cref="Interest"/> before the socket is added to the loop's epoll set, or after it left it.</summary>
    public const uint NotWatched = uint.MaxValue;

    public int Fd { get; } = fd;

    /// <summary>How the tunnel ended when this side goes away.</summary>
    public TunnelEnd End { get; } = end;

    /// <summary>What the socket has been asked for in the loop's epoll set; <see cref="NotWatched"/> before it is added.</summary>
    public uint Interest { get; set; } = NotWatched;

    public bool Unwatch { get; set; }

    public bool ReadEnded { get; set; }

    public bool WriteFailed { get; set; }

    public bool ShutWritesOnceFlushed { get; set; }

    /// <summary>What this socket did not take yet, from <see cref="PendingStart"/> to <see cref="PendingEnd"/>.</summary>
    public byte[]? Pending { get; private set; }

    public int PendingStart { get; set; }

    public int PendingEnd { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        var waiting = PendingEnd - PendingStart;
        if (Pending is null || Pending.Length - PendingEnd < data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(waiting + data.Length);
            Pending.AsSpan(PendingStart, waiting).CopyTo(larger);
            ReturnPending();
            Pending = larger;
            PendingEnd = waiting;
        }

        data.CopyTo(Pending.AsSpan(PendingEnd));
        PendingEnd += data.Length;
    }

    public void ReturnPending()
    {
        if (Pending is not null)
        {
            ArrayPool<byte>.Shared.Return(Pending);
        }

        Pending = null;
        PendingStart = 0;
        PendingEnd = 0;
    }
}
