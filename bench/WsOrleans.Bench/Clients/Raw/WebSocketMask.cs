using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace WsOrleans.Bench.Clients.Raw;

/// <summary>RFC 6455 5.3 client masking: XOR with a 4-byte key, vectorised.</summary>
internal static class WebSocketMask
{
    /// <summary>
    /// Writes <paramref name="source"/> XOR the key into <paramref name="destination"/>. The key's bytes are
    /// <paramref name="mask"/> in little-endian order, as <see cref="BinaryPrimitives.WriteUInt32LittleEndian"/>
    /// puts it in the frame header.
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint mask)
    {
        var i = 0;
        if (BitConverter.IsLittleEndian)
        {
            if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
            {
                // Vector<byte>.Count is a multiple of 4, so every vector starts on a key boundary.
                var key = Vector.AsVectorByte(new Vector<uint>(mask));
                for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                {
                    (new Vector<byte>(source[i..]) ^ key).CopyTo(destination[i..]);
                }
            }

            var key64 = mask | ((ulong)mask << 32);
            for (; i <= source.Length - sizeof(ulong); i += sizeof(ulong))
            {
                var value = MemoryMarshal.Read<ulong>(source[i..]) ^ key64;
                MemoryMarshal.Write(destination[i..], in value);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ (byte)(mask >> (8 * (i & 3))));
        }
    }
}
