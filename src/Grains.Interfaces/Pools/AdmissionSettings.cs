using System.Collections.Immutable;

namespace WsOrleans.Pools;

/// <summary>Which requests a pool admits: browser origins, connections, and handshake and plain-request rates per client address.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.admission-settings")]
public sealed record class AdmissionSettings
{
    /// <summary>
    /// The <c>Origin</c>s (<c>scheme://host[:port]</c>, lower case) a browser handshake may come from; any other
    /// gets 403. A handshake without <c>Origin</c> (not from a browser) is admitted. The default, empty, admits any.
    /// </summary>
    [Id(0)] public ImmutableArray<string> AllowedOrigins { get; init; } = [];

    /// <summary>Live connections one client address may hold across all edges; then 429. The default, 0, is no cap.</summary>
    [Id(1)] public int MaxConnectionsPerAddress { get; init; }

    /// <summary>Handshakes per second one client address may make on one edge (a token bucket); then 429. The default, 0, is no limit.</summary>
    [Id(2)] public double HandshakesPerSecond { get; init; }

    /// <summary>How many handshakes above the rate one address may make at once (the bucket's size). The default is the rate rounded up.</summary>
    [Id(3)] public int HandshakeBurst { get; init; }

    /// <summary>Plain HTTP requests per second one client address may make on one edge (a token bucket); then 429. The default, 0, is no limit.</summary>
    [Id(4)] public double RequestsPerSecond { get; init; }

    /// <summary>How many plain requests above the rate one address may make at once. The default is the rate rounded up.</summary>
    [Id(5)] public int RequestBurst { get; init; }

    /// <summary>Whether these settings admit everything, so the edge need not look.</summary>
    public bool IsOpen => AllowedOrigins.IsDefaultOrEmpty && MaxConnectionsPerAddress == 0 && HandshakesPerSecond == 0 && RequestsPerSecond == 0;

    /// <summary>Equal when every setting and every origin (in order) is equal.</summary>
    public bool Equals(AdmissionSettings? other) =>
        other is not null
        && MaxConnectionsPerAddress == other.MaxConnectionsPerAddress
        && HandshakesPerSecond.Equals(other.HandshakesPerSecond)
        && HandshakeBurst == other.HandshakeBurst
        && RequestsPerSecond.Equals(other.RequestsPerSecond)
        && RequestBurst == other.RequestBurst
        && AllowedOrigins.AsSpan().SequenceEqual(other.AllowedOrigins.AsSpan());

    public override int GetHashCode() => HashCode.Combine(MaxConnectionsPerAddress, HandshakesPerSecond, HandshakeBurst, AllowedOrigins.Length);
}
