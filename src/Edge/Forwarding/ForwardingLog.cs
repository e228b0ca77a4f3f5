using WsOrleans.Logging;

namespace WsOrleans.Edge.Forwarding;

/// <summary>The messages a handshake and a plain request share.</summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = EventIds.Forwarding.BackendUnreachable, Level = LogLevel.Warning, Message = "Backend {Backend} of pool {Pool} at {Address} could not be reached: {Reason}")]
    public static partial void BackendUnreachable(ILogger logger, string backend, string pool, string address, string reason);
}
