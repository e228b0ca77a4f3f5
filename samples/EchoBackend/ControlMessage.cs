using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace WsOrleans.EchoBackend;

/// <summary>
/// The small text messages the echo server answers instead of echoing: <c>whoami</c>, <c>handshake</c>
/// and <c>close:CODE:REASON</c>.
/// </summary>
internal readonly record struct ControlMessage(ControlMessageKind Kind, WebSocketCloseStatus CloseStatus = default, string CloseReason = "")
{
    /// <summary>Longer messages are never commands; they are echoed as they stream in.</summary>
    public const int MaxLength = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> ClosePrefix => "close:"u8;

    /// <summary>
    /// Reads a complete single-frame text message. Anything that is not exactly a command, including a
    /// <c>close:</c> with a code that may not be sent, is <see cref="ControlMessageKind.None"/> and gets echoed.
    /// </summary>
    public static ControlMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.SequenceEqual("whoami"u8))
        {
            return new ControlMessage(ControlMessageKind.WhoAmI);
        }

        if (message.SequenceEqual("handshake"u8))
        {
            return new ControlMessage(ControlMessageKind.Handshake);
        }

        if (message.StartsWith(ClosePrefix) && TryParseClose(message[ClosePrefix.Length..], out var status, out var reason))
        {
            return new ControlMessage(ControlMessageKind.Close, status, reason);
        }

        return default;
    }

    // "CODE:REASON" or "CODE"; the reason may itself contain ':'.
    private static bool TryParseClose(ReadOnlySpan<byte> rest, out WebSocketCloseStatus status, out string reason)
    {
        status = default;
        reason = "";
        var separator = rest.IndexOf((byte)':');
        var code = separator < 0 ? rest : rest[..separator];
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || !IsSendable(value))
        {
            return false;
        }

        try
        {
            reason = separator < 0 ? "" : StrictUtf8.GetString(rest[(separator + 1)..]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        status = (WebSocketCloseStatus)value;
        return true;
    }

    // RFC 6455 7.4: 1004 is reserved; 1005, 1006 and 1015 must never appear in a close frame.
    private static bool IsSendable(int code) =>
        code is >= 1000 and <= 4999 and not (1004 or 1005 or 1006 or 1015);
}
