namespace WsOrleans.EchoBackend;

/// <summary>Which command a small text message is, if any.</summary>
internal enum ControlMessageKind
{
    /// <summary>Not a command: echo it.</summary>
    None,

    /// <summary><c>whoami</c>: reply with the server id.</summary>
    WhoAmI,

    /// <summary><c>handshake</c>: reply with the handshake as JSON.</summary>
    Handshake,

    /// <summary><c>close:CODE:REASON</c>: close the socket from the server side.</summary>
    Close,
}
