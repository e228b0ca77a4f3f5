using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Admission across a cluster: one Localhost-mode silo with a pool per limit, in front of two echo
/// backends, and two edges. <see cref="SiloAndTwoEdgesFixture.First"/> trusts <c>X-Forwarded-For</c> from loopback (so tests can
/// play many client addresses); <see cref="SiloAndTwoEdgesFixture.Second"/> trusts only 10.0.0.0/8, so a loopback client's
/// <c>X-Forwarded-For</c> is ignored there. Both close a handshake whose headers take over a second and
/// refuse headers over 8 KiB.
/// </summary>
public sealed class AdmissionFixture() : SiloAndTwoEdgesFixture(backends: 2)
{
    public const string GoodOrigin = "https://chat.example.com";

    private static readonly KeyValuePair<string, string?>[] Limits =
    [
        new("WsOrleans:Edge:HandshakeTimeout", "00:00:01"),
        new("WsOrleans:Edge:MaxRequestHeadersSize", "8192"),
    ];

    private protected override IEnumerable<KeyValuePair<string, string?>> FirstEdgeConfiguration =>
        [.. Limits, new("WsOrleans:Edge:TrustedProxies", "127.0.0.1, ::1")];

    private protected override IEnumerable<KeyValuePair<string, string?>> SecondEdgeConfiguration =>
        [.. Limits, new("WsOrleans:Edge:TrustedProxies", "10.0.0.0/8")];

    private protected override IEnumerable<KeyValuePair<string, string?>> SiloConfiguration(EchoBackends backends) =>
        [
            new("WsOrleans:Pools:default:Path", "/ws"),
            .. backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:wsonly:Path", "/wsonly"),
            new("WsOrleans:Pools:wsonly:Http", "Refuse"),
            .. backends.AsBackendsOf("wsonly"),
            new("WsOrleans:Pools:origin:Path", "/origin"),
            new("WsOrleans:Pools:origin:Admission:AllowedOrigins", GoodOrigin),
            .. backends.AsBackendsOf("origin"),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            new("WsOrleans:Pools:capped:Admission:MaxConnectionsPerAddress", "2"),
            .. backends.AsBackendsOf("capped"),

            // One token per 1000 s: only the burst, so the test sees the limit without racing the clock.
            new("WsOrleans:Pools:rated:Path", "/rated"),
            new("WsOrleans:Pools:rated:Admission:HandshakesPerSecond", "0.001"),
            new("WsOrleans:Pools:rated:Admission:HandshakeBurst", "2"),
            new("WsOrleans:Pools:rated:Admission:RequestsPerSecond", "0.001"),
            new("WsOrleans:Pools:rated:Admission:RequestBurst", "3"),
            .. backends.AsBackendsOf("rated"),
        ];
}

[CollectionDefinition(Name)]
public sealed class AdmissionCollection : ICollectionFixture<AdmissionFixture>
{
    public const string Name = "admission: one silo, two edges with limits";
}
