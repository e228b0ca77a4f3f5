using System.Buffers.Binary;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>RFC 6455 5.2 framing: parses server frame headers and writes masked client frames.</summary>
internal static class WebSocketFrame
{
    public const int OpcodeBinary = 0x2;
    public const int OpcodeClose = 0x8;
    public const int OpcodePing = 0x9;
    public const int OpcodePong = 0xA;

    /// <summary>2 bytes, an 8-byte extended length and a 4-byte mask.</summary>
    public const int MaxHeaderLength = 14;

    public const int MaxControlPayload = 125;

    /// <summary>
    /// Parses the header at the start of <paramref name="bytes"/>; false while it is not all there. Throws
    /// <see cref="BenchException"/> (<c>protocolError</c>) for what a server may not send: RSV bits without an
    /// extension, a masked frame, a fragmented or oversized control frame.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> bytes, out FrameHeader header)
    {
        header = default;
        if (bytes.Length < 2)
        {
            return false;
        }

        if ((bytes[0] & 0x70) != 0 || (bytes[1] & 0x80) != 0)
        {
            throw new BenchException(ErrorKinds.ProtocolError, $"The server sent a frame with RSV bits or a mask (0x{bytes[0]:X2} 0x{bytes[1]:X2}).");
        }

        long payloadLength = bytes[1] & 0x7F;
        var headerLength = 2;
        if (payloadLength == 126)
        {
            headerLength = 4;
            if (bytes.Length < headerLength)
            {
                return false;
            }

            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        }
        else if (payloadLength == 127)
        {
            headerLength = 10;
            if (bytes.Length < headerLength)
            {
                return false;
            }

            payloadLength = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (payloadLength < 0)
            {
                throw new BenchException(ErrorKinds.ProtocolError, "The server sent a frame length with the top bit set.");
            }
        }

        header = new FrameHeader(bytes[0] & 0x0F, (bytes[0] & 0x80) != 0, headerLength, payloadLength);
        if (header.IsControl && (payloadLength > MaxControlPayload || !header.Fin))
        {
            throw new BenchException(ErrorKinds.ProtocolError, $"The server sent a control frame (opcode {header.Opcode}) that is fragmented or {payloadLength} bytes long.");
        }

        return true;
    }

    /// <summary>
    /// Writes one final frame with <paramref name="payload"/> masked by <paramref name="mask"/> (its bytes in
    /// little-endian order) and returns its length. <paramref name="destination"/> needs the payload's length
    /// plus <see cref="MaxHeaderLength"/>.
    /// </summary>
    public static int WriteMasked(Span<byte> destination, int opcode, ReadOnlySpan<byte> payload, uint mask)
    {
        destination[0] = (byte)(0x80 | opcode);
        int offset;
        if (payload.Length < 126)
        {
            destination[1] = (byte)(0x80 | payload.Length);
            offset = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payload.Length);
            offset = 4;
        }
        else
        {
            destination[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payload.Length);
            offset = 10;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], mask);
        offset += 4;
        WebSocketMask.Apply(payload, destination[offset..], mask);
        return offset + payload.Length;
    }
}
