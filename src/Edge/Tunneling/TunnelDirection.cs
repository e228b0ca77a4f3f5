using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// One direction of a tunnel: copies from one side to the other, following the frames as they
/// pass, and can put a close frame of the edge's own between two frames.
/// </summary>
internal sealed class TunnelDirection(ITunnelSide from, ITunnelSide to, bool towardBackend, Action onActivity, Action onCloseFrame)
{
    private const int BufferSize = 16 * 1024;
    private const int Idle = 0;
    private const int Writing = 1;
    private const int Closed = 2;

    private int _state;
    private bool _closeNoticed;

    // A close frame of the edge's own waiting for the end of the frame under way; sent by the copy loop.
    private byte[]? _pendingClose;
    private TaskCompletionSource? _pendingSent;

    public FrameTracker Frames { get; } = new();

    public long Bytes { get; private set; }

    /// <summary>
    /// Copies until the source ends. <paramref name="first"/> (what the source sent before the
    /// tunnel began) goes first. True when the source ended cleanly; false on error or when closed.
    /// </summary>
    public async Task<bool> CopyAsync(ReadOnlyMemory<byte> first)
    {
        try
        {
            if (!first.IsEmpty)
            {
                await ForwardAsync(first);
            }

            var previousFilled = false;
            while (true)
            {
                // Wait for data before taking a buffer, unless the last read filled it (more is waiting).
                if (!previousFilled)
                {
                    _ = await from.WaitForDataAsync();
                }

                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    var read = await from.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return true;
                    }

                    await ForwardAsync(buffer.AsMemory(0, read));
                    previousFilled = read == buffer.Length;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends a close frame of the edge's own to the destination between two frames: at once when this
    /// direction is idle between frames, else right after the frame under way, written by the copy loop
    /// (data streaming without pause has few moments between frames to catch). Gives up at
    /// <paramref name="deadline"/>. From then on nothing more is forwarded this way.
    /// </summary>
    public async Task InjectCloseAsync(int code, string reason, DateTime deadline)
    {
        var frame = CloseFrame(code, reason, masked: towardBackend);
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingSent = sent;
        Volatile.Write(ref _pendingClose, frame);
        while (DateTime.UtcNow < deadline && !sent.Task.IsCompleted)
        {
            if (Frames.AtFrameBoundary && Interlocked.CompareExchange(ref _state, Closed, Idle) == Idle)
            {
                // Idle between frames: the copy loop is not writing, so the close goes now.
                if (Interlocked.Exchange(ref _pendingClose, null) is not null)
                {
                    await WriteCloseAsync(frame);
                }

                return;
            }

            if (Volatile.Read(ref _state) == Closed)
            {
                break;
            }

            await Task.WhenAny(sent.Task, Task.Delay(5));
        }

        Interlocked.Exchange(ref _pendingClose, null);
        Volatile.Write(ref _state, Closed);
    }

    private async ValueTask ForwardAsync(ReadOnlyMemory<byte> data)
    {
        // Once the edge has closed this direction, frames are still followed (to see the peer's
        // close reply) but no longer forwarded.
        if (Interlocked.CompareExchange(ref _state, Writing, Idle) == Idle)
        {
            var closed = false;
            try
            {
                if (Volatile.Read(ref _pendingClose) is not null)
                {
                    closed = await ForwardThenCloseAsync(data);
                }
                else
                {
                    await to.WriteAsync(data);
                    Frames.Observe(data.Span);
                }
            }
            finally
            {
                Volatile.Write(ref _state, closed ? Closed : Idle);
            }
        }
        else
        {
            Frames.Observe(data.Span);
        }

        Bytes += data.Length;
        onActivity();
        if (!_closeNoticed && Frames.SawClose)
        {
            _closeNoticed = true;
            onCloseFrame();
        }
    }

    /// <summary>
    /// Forwards <paramref name="data"/> up to the end of the frame under way, then the pending close frame,
    /// and follows the rest without forwarding it. True when the close was sent; false when no frame ended
    /// in <paramref name="data"/> (all of it was forwarded, the close still waits).
    /// </summary>
    private async ValueTask<bool> ForwardThenCloseAsync(ReadOnlyMemory<byte> data)
    {
        var upToBoundary = Frames.ObserveToBoundary(data.Span);
        if (upToBoundary > 0)
        {
            await to.WriteAsync(data[..upToBoundary]);
        }

        if (!Frames.AtFrameBoundary)
        {
            return false;
        }

        if (Interlocked.Exchange(ref _pendingClose, null) is not { } frame)
        {
            // The close gave up meanwhile: the rest goes on as usual.
            await to.WriteAsync(data[upToBoundary..]);
            Frames.Observe(data.Span[upToBoundary..]);
            return false;
        }

        await WriteCloseAsync(frame);
        Frames.Observe(data.Span[upToBoundary..]);
        return true;
    }

    private async Task WriteCloseAsync(byte[] frame)
    {
        try
        {
            await to.WriteAsync(frame);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // That side is already gone.
        }
        finally
        {
            _pendingSent?.TrySetResult();
        }
    }

    /// <summary>A close frame; frames toward a backend come from the edge as a client, so they are masked (RFC 6455 5.3).</summary>
    internal static byte[] CloseFrame(int code, string reason, bool masked)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + Math.Min(text.Length, 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        text.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));

        var frame = new byte[2 + (masked ? 4 : 0) + payload.Length];
        frame[0] = 0x88;
        frame[1] = (byte)((masked ? 0x80 : 0) | payload.Length);
        if (masked)
        {
            Random.Shared.NextBytes(frame.AsSpan(2, 4));
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= frame[2 + (i % 4)];
            }
        }

        payload.CopyTo(frame.AsSpan(frame.Length - payload.Length));
        return frame;
    }
}
