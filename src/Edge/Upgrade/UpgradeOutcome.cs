using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.Upgrade;

/// <summary>What became of a handshake forwarded to one backend.</summary>
internal abstract record class UpgradeOutcome
{
    private UpgradeOutcome()
    {
    }

    /// <summary>
    /// The backend switched protocols and the client got its <c>101</c> (<c>200</c> over HTTP/2): both connections are
    /// the tunnel's now, with what the backend sent right behind its answer, to be passed on first.
    /// </summary>
    public sealed record class Upgraded(Stream Client, ITunnelSide Backend, ReadOnlyMemory<byte> FromBackend) : UpgradeOutcome;

    /// <summary>The backend answered without switching protocols, and the client got that answer.</summary>
    public sealed record class Answered(int Status) : UpgradeOutcome;

    /// <summary>The backend answered with a 5xx that was held back, so another backend can be tried: nothing reached the client.</summary>
    public sealed record class HeldBack(int Status) : UpgradeOutcome;

    /// <summary>
    /// The backend could not be reached, broke the handshake or took too long, and nothing reached the client.
    /// <see cref="Status"/> is what the client gets if no other backend is tried, <see cref="Reason"/> why.
    /// </summary>
    public sealed record class Failed(int Status, string Reason) : UpgradeOutcome;
}
