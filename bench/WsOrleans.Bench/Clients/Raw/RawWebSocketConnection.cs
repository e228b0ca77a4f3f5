using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>
/// A minimal RFC 6455 client over a bare socket or TLS (<see cref="IRawTransport"/>): one masked frame per message, one
/// send call per frame, received payloads skipped in place. No extensions, no text validation, and over a bare socket
/// no allocation per message.
/// </summary>
internal sealed class RawWebSocketConnection : IWebSocketConnection
{
    private const int MinReceiveBufferSize = 256;
    private const int MaxReceiveBufferSize = 64 * 1024;
    private const int NoStatus = 1005;

    /// <summary>What <see cref="ReceiveAsync"/> returns for a close frame.</summary>
    private const int Closed = -1;

    /// <summary>How long a finished close handshake waits for the server to end the TCP stream first.</summary>
    private static readonly TimeSpan EndOfStreamWait = TimeSpan.FromSeconds(1);

    private static readonly byte[] NormalClosure = [0x03, 0xE8];

    private readonly IRawTransport _transport;
    private readonly int _receiveBufferSize;

    // Allocated on first use, so an idle held connection costs no buffer at all.
    private byte[]? _receiveBuffer;
    private byte[]? _sendBuffer;
    private int _start;
    private int _end;
    private uint _maskState;
    private bool _closeSent;
    private bool _closeReceived;
    private int _closeStatus = NoStatus;

    public RawWebSocketConnection(IRawTransport transport, int messageSize, ReadOnlySpan<byte> alreadyReceived)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _receiveBufferSize = Math.Clamp(messageSize + WebSocketFrame.MaxHeaderLength, MinReceiveBufferSize, MaxReceiveBufferSize);
        _maskState = (uint)Random.Shared.Next() | 1;
        if (!alreadyReceived.IsEmpty)
        {
            _receiveBuffer = new byte[Math.Max(_receiveBufferSize, alreadyReceived.Length)];
            alreadyReceived.CopyTo(_receiveBuffer);
            _end = alreadyReceived.Length;
        }
    }

    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendFrameAsync(WebSocketFrame.OpcodeBinary, payload.Span, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var length = await ReceiveAsync(cancellationToken);
        if (length == Closed)
        {
            throw new BenchException(ErrorKinds.ServerClose(_closeStatus), $"The server closed the WebSocket with status {_closeStatus}.");
        }

        return length;
    }

    public async Task<string?> WaitForDropAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_start == _end)
                {
                    // A zero-byte receive waits for data without a buffer; one is lent only while frames arrive.
                    _receiveBuffer = null;
                    _start = _end = 0;
                    await _transport.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                }

                if (await ReceiveAsync(cancellationToken, returnAfterControlFrame: true) == Closed)
                {
                    return ErrorKinds.ServerClose(_closeStatus);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception)
        {
            return ErrorKinds.Of(exception);
        }
    }

    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            if (!_closeSent)
            {
                _closeSent = true;
                await SendFrameAsync(WebSocketFrame.OpcodeClose, NormalClosure, deadline.Token);
            }

            while (!_closeReceived)
            {
                if (await ReceiveAsync(deadline.Token) == Closed)
                {
                    break;
                }
            }

            // RFC 6455 7.1.1: the server ends the TCP stream first, so TIME_WAIT stays on its side and the
            // client's ephemeral ports are free again at once. Wait briefly, as ClientWebSocket does.
            using var endOfStream = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            endOfStream.CancelAfter(EndOfStreamWait);
            try
            {
                var buffer = _receiveBuffer ??= new byte[_receiveBufferSize];
                while (await _transport.ReceiveAsync(buffer, endOfStream.Token) > 0)
                {
                }
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
            }
        }
        finally
        {
            _transport.Dispose();
        }
    }

    public void Abort() => _transport.Dispose();

    public void Dispose() => _transport.Dispose();

    // The next data message's length, or Closed for a close frame. Pings are answered and pongs skipped; with
    // returnAfterControlFrame, either of them returns 0 instead of waiting on for a data message.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveAsync(CancellationToken cancellationToken, bool returnAfterControlFrame = false)
    {
        long total = 0;
        while (true)
        {
            if (!WebSocketFrame.TryParseHeader(_receiveBuffer.AsSpan(_start, _end - _start), out var header))
            {
                await FillAsync(cancellationToken);
                continue;
            }

            if (header.IsControl)
            {
                if (_end - _start < header.Length + header.PayloadLength)
                {
                    await FillAsync(cancellationToken);
                    continue;
                }

                var payload = _receiveBuffer.AsMemory(_start + header.Length, (int)header.PayloadLength);
                _start += header.Length + (int)header.PayloadLength;
                if (header.Opcode == WebSocketFrame.OpcodeClose)
                {
                    await OnCloseAsync(payload, cancellationToken);
                    return Closed;
                }

                if (header.Opcode == WebSocketFrame.OpcodePing)
                {
                    // The pong copies the payload before its first await, so the receive buffer may move on.
                    await SendFrameAsync(WebSocketFrame.OpcodePong, payload.Span, cancellationToken);
                }

                if (returnAfterControlFrame)
                {
                    return 0;
                }

                continue;
            }

            _start += header.Length;
            var remaining = header.PayloadLength;
            while (true)
            {
                var take = (int)Math.Min(remaining, _end - _start);
                _start += take;
                remaining -= take;
                if (remaining == 0)
                {
                    break;
                }

                await FillAsync(cancellationToken);
            }

            total += header.PayloadLength;
            if (header.Fin)
            {
                return total <= int.MaxValue
                    ? (int)total
                    : throw new BenchException(ErrorKinds.ProtocolError, $"A {total}-byte message is over the 2 GiB this client counts.");
            }
        }
    }

    private ValueTask OnCloseAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _closeReceived = true;
        _closeStatus = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload.Span) : NoStatus;
        if (_closeSent)
        {
            return default;
        }

        // Answer with the same status, as RFC 6455 5.5.1 asks.
        _closeSent = true;
        return SendFrameAsync(WebSocketFrame.OpcodeClose, payload.Span[..Math.Min(payload.Length, 2)], cancellationToken);
    }

    private ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var buffer = _receiveBuffer ??= new byte[_receiveBufferSize];
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == buffer.Length)
        {
            // Control frames and headers are under 256 bytes, so moving the tail down always makes room.
            Buffer.BlockCopy(buffer, _start, buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var pending = _transport.ReceiveAsync(buffer.AsMemory(_end), cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            OnReceived(pending.Result);
            return default;
        }

        return AwaitFillAsync(pending);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitFillAsync(ValueTask<int> pending) => OnReceived(await pending);

    private void OnReceived(int count)
    {
        if (count == 0)
        {
            throw new BenchException(ErrorKinds.ConnectionClosed, "The server ended the TCP stream without a WebSocket close frame.");
        }

        _end += count;
    }

    private ValueTask SendFrameAsync(int opcode, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        var needed = payload.Length + WebSocketFrame.MaxHeaderLength;
        var buffer = _sendBuffer;
        if (buffer is null || buffer.Length < needed)
        {
            buffer = _sendBuffer = new byte[Math.Max(needed, WebSocketFrame.MaxControlPayload + WebSocketFrame.MaxHeaderLength)];
        }

        // RFC 6455 5.3 wants an unpredictable key per frame; xorshift32 is cheap and good enough for a load test.
        var mask = _maskState;
        mask ^= mask << 13;
        mask ^= mask >> 17;
        mask ^= mask << 5;
        _maskState = mask;
        return _transport.SendAsync(buffer.AsMemory(0, WebSocketFrame.WriteMasked(buffer, opcode, payload, mask)), cancellationToken);
    }
}
