namespace WsOrleans.Bench.Clients.Raw;

/// <summary>A parsed frame header: opcode, FIN bit, the header's own length and the payload's.</summary>
internal readonly record struct FrameHeader(int Opcode, bool Fin, int Length, long PayloadLength)
{
    /// <summary>Close, ping and pong: opcodes 0x8 and up.</summary>
    public bool IsControl => Opcode >= WebSocketFrame.OpcodeClose;
}
