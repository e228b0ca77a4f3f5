using System.Net.WebSockets;
using System.Text;
using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Tests.Unit.Tunneling;

/// <summary>The tracker against frames written by .NET's own WebSocket implementation, fed in pieces of every size.</summary>
public sealed class FrameTrackerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Messages_OfEverySizeClass_AreCountedAndEndOnABoundary(bool fromClient)
    {
        var bytes = await FramesAsync(fromClient, async socket =>
        {
            await socket.SendAsync(new byte[10], WebSocketMessageType.Binary, true, default);
            await socket.SendAsync(new byte[300], WebSocketMessageType.Binary, true, default);
            await socket.SendAsync(new byte[70_000], WebSocketMessageType.Binary, true, default);
            await socket.SendAsync(Encoding.UTF8.GetBytes("héllo"), WebSocketMessageType.Text, true, default);
            await socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, true, default);
        });

        foreach (var piece in new[] { 1, 2, 3, 7, 13, 1000, bytes.Length })
        {
            var tracker = Feed(bytes, piece);

            Assert.Equal(5, tracker.Messages);
            Assert.True(tracker.AtFrameBoundary);
            Assert.False(tracker.SawClose);
        }
    }

    [Fact]
    public async Task FragmentedMessage_CountsOnce_AndIsBetweenFramesAfterEachFragment()
    {
        var tracker = new FrameTracker();
        var bytes = await FramesAsync(true, async socket =>
        {
            await socket.SendAsync(new byte[100], WebSocketMessageType.Text, false, default);
            await socket.SendAsync(new byte[100], WebSocketMessageType.Text, false, default);
            await socket.SendAsync(new byte[100], WebSocketMessageType.Text, true, default);
        });

        var frame = bytes.Length / 3;
        tracker.Observe(bytes.AsSpan(0, frame - 1));
        Assert.False(tracker.AtFrameBoundary);
        tracker.Observe(bytes.AsSpan(frame - 1, 1));
        Assert.True(tracker.AtFrameBoundary);
        Assert.Equal(0, tracker.Messages);
        tracker.Observe(bytes.AsSpan(frame));
        Assert.Equal(1, tracker.Messages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CloseFrame_CodeAndReasonAreRead_MaskedOrNot(bool fromClient)
    {
        var bytes = await FramesAsync(fromClient, socket =>
            socket.CloseOutputAsync((WebSocketCloseStatus)4001, "client says bye ✓", default));

        foreach (var piece in new[] { 1, 5, bytes.Length })
        {
            var tracker = Feed(bytes, piece);

            Assert.True(tracker.SawClose);
            Assert.Equal((4001, "client says bye ✓"), (tracker.CloseCode, tracker.CloseReason));
            Assert.True(tracker.AtFrameBoundary);
        }
    }

    [Fact]
    public void CloseFrame_WithoutStatus_IsSeenWithoutACode()
    {
        var tracker = Feed([0x88, 0x00], 1);

        Assert.True(tracker.SawClose);
        Assert.Null(tracker.CloseCode);
    }

    [Fact]
    public async Task ObserveToBoundary_StopsWhereTheFrameUnderWayEnds_FromAnyPointInIt()
    {
        // Three messages of 40,000 bytes, as .NET's server sends them: one frame each, header 4 bytes.
        var bytes = await FramesAsync(fromClient: false, async socket =>
        {
            for (var i = 0; i < 3; i++)
            {
                await socket.SendAsync(new byte[40_000], WebSocketMessageType.Binary, true, default);
            }
        });
        var frame = bytes.Length / 3;

        foreach (var start in new[] { 0, 1, 3, 4, 5, 20_000, frame - 1, frame })
        {
            var tracker = new FrameTracker();
            tracker.Observe(bytes.AsSpan(0, start));

            var consumed = tracker.ObserveToBoundary(bytes.AsSpan(start));

            var expected = start == 0 || start == frame ? 0 : frame - start;
            Assert.Equal(expected, consumed);
            Assert.True(tracker.AtFrameBoundary, $"from {start}");
        }
    }

    [Fact]
    public void ObserveToBoundary_WhenNoFrameEndsInTheData_TakesItAll()
    {
        var tracker = new FrameTracker();
        tracker.Observe([0x82, 0x7E, 0x9C, 0x40]); // binary, 40,000 bytes to follow

        Assert.Equal(100, tracker.ObserveToBoundary(new byte[100]));
        Assert.False(tracker.AtFrameBoundary);
    }

    private static FrameTracker Feed(byte[] bytes, int piece)
    {
        var tracker = new FrameTracker();
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            tracker.Observe(bytes.AsSpan(offset, Math.Min(piece, bytes.Length - offset)));
        }

        return tracker;
    }

    /// <summary>What a client (masked) or server (unmasked) WebSocket writes for <paramref name="send"/>.</summary>
    private static async Task<byte[]> FramesAsync(bool fromClient, Func<WebSocket, Task> send)
    {
        var output = new MemoryStream();
        using var socket = WebSocket.CreateFromStream(new WriteOnlyStream(output), new WebSocketCreationOptions { IsServer = !fromClient, KeepAliveInterval = TimeSpan.Zero });
        await send(socket);
        return output.ToArray();
    }

    private sealed class WriteOnlyStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            inner.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
