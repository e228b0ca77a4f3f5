namespace WsOrleans.Hosting.Configuration;

/// <summary><c>WsOrleans:Edge:Tunnel</c>: what carries the bytes of a detached plain tunnel.</summary>
public enum TunnelEngine
{
    /// <summary>.NET's async sockets: two copy loops per tunnel on the thread pool.</summary>
    Managed,

    /// <summary>
    /// Non-blocking sockets in one epoll loop per core, read into the loop's buffer and written straight on
    /// (Linux on x64; elsewhere, and for TLS tunnels, the managed engine carries them). The default.
    /// </summary>
    EventLoop,
}
