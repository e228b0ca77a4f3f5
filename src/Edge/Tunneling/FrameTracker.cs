using System.Buffers.Binary;
using System.Text;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Follows RFC 6455 framing in one direction of a tunnel as the bytes pass, without holding them:
/// where frames begin and end (so a close frame can be put between two frames), how many data
/// messages were completed, and the close frame's code and reason. It reads frame headers only;
/// payloads (compressed or not) are skipped.
/// </summary>
internal sealed class FrameTracker
{
    private const int MaxHeader = 14;
    private const int MaxCloseCapture = 125;

    private readonly byte[] _header = new byte[MaxHeader];
    private int _headerFilled;
    private int _headerLength = 2;
    private long _payloadRemaining;
    private bool _currentIsFinalData;
    private bool _currentIsClose;
    private byte[]? _close;
    private int _closeFilled;
    private int _maskOffset;

    /// <summary>True between frames: nothing of a frame has been seen that is not complete.</summary>
    public bool AtFrameBoundary => _headerFilled == 0 && _payloadRemaining == 0;

    /// <summary>Data messages whose final frame has passed.</summary>
    public long Messages { get; private set; }

    /// <summary>Whether a close frame has passed; its code and reason, when it carried them.</summary>
    public bool SawClose { get; private set; }

    public int? CloseCode { get; private set; }

    public string? CloseReason { get; private set; }

    public void Observe(ReadOnlySpan<byte> data) => Observe(data, stopAtBoundary: false);

    /// <summary>
    /// Follows <paramref name="data"/> up to the end of the frame under way (or all of it, when no frame ends
    /// in it) and returns how many bytes that was: 0 when it is already between frames.
    /// </summary>
    public int ObserveToBoundary(ReadOnlySpan<byte> data) => Observe(data, stopAtBoundary: true);

    private int Observe(ReadOnlySpan<byte> data, bool stopAtBoundary)
    {
        var length = data.Length;
        while (!data.IsEmpty)
        {
            if (stopAtBoundary && AtFrameBoundary)
            {
                break;
            }

            if (_payloadRemaining == 0 || _headerFilled > 0)
            {
                var take = Math.Min(_headerLength - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled == 2)
                {
                    _headerLength = HeaderLength(_header[1]);
                }

                if (_headerFilled == _headerLength)
                {
                    StartPayload();
                }

                continue;
            }

            var chunk = (int)Math.Min(_payloadRemaining, data.Length);
            if (_currentIsClose)
            {
                CaptureClose(data[..chunk]);
            }

            _payloadRemaining -= chunk;
            data = data[chunk..];
            if (_payloadRemaining == 0)
            {
                EndFrame();
            }
        }

        return length - data.Length;
    }

    private static int HeaderLength(byte second)
    {
        var length = (second & 0x7F) switch { 126 => 4, 127 => 10, _ => 2 };
        return (second & 0x80) != 0 ? length + 4 : length;
    }

    private void StartPayload()
    {
        var opcode = _header[0] & 0x0F;
        var final = (_header[0] & 0x80) != 0;
        var length7 = _header[1] & 0x7F;
        _payloadRemaining = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            127 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), long.MaxValue),
            _ => length7,
        };
        _currentIsFinalData = final && opcode is 0x0 or 0x1 or 0x2;
        _currentIsClose = opcode == 0x8;
        _headerFilled = 0;
        _headerLength = 2;
        if (_currentIsClose)
        {
            SawClose = true;
            _close = new byte[Math.Min(_payloadRemaining, MaxCloseCapture)];
            _closeFilled = 0;
            _maskOffset = (_header[1] & 0x80) != 0 ? HeaderLength(_header[1]) - 4 : -1;
        }

        if (_payloadRemaining == 0)
        {
            EndFrame();
        }
    }

    private void CaptureClose(ReadOnlySpan<byte> payload)
    {
        var take = Math.Min(payload.Length, _close!.Length - _closeFilled);
        for (var i = 0; i < take; i++, _closeFilled++)
        {
            var mask = _maskOffset >= 0 ? _header[_maskOffset + (_closeFilled % 4)] : (byte)0;
            _close[_closeFilled] = (byte)(payload[i] ^ mask);
        }
    }

    private void EndFrame()
    {
        if (_currentIsFinalData)
        {
            Messages++;
        }

        if (_currentIsClose && _close is { Length: >= 2 })
        {
            CloseCode = BinaryPrimitives.ReadUInt16BigEndian(_close);
            CloseReason = Encoding.UTF8.GetString(_close.AsSpan(2, _closeFilled - 2));
        }

        _currentIsFinalData = _currentIsClose = false;
    }
}
