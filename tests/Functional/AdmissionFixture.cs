using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Admission across a cluster: one Localhost-mode silo with a pool per limit, in front of two echo
/// backends, and two edges. <see cref="First"/> trusts <c>X-Forwarded-For</c> from loopback (so tests can
/// play many client addresses); <see cref="Second"/> trusts only 10.0.0.0/8, so a loopback client's
/// <c>X-Forwarded-For</c> is ignored there. Both close a handshake whose headers take over a second and
/// refuse headers over 8 KiB.
/// </summary>
public sealed class AdmissionFixture : IAsyncLifetime
{
    public const string GoodOrigin = "https://chat.example.com";

    internal EchoBackends Backends { get; private set; } = null!;

    internal TestSilo Silo { get; private set; } = null!;

    internal TestEdge First { get; private set; } = null!;

    internal TestEdge Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync(2);
        Silo = await TestSilo.StartAsync(
        [
            new("WsOrleans:Pools:default:Path", "/ws"),
            .. Backends.AsBackendsOf("default"),
            new("WsOrleans:Pools:origin:Path", "/origin"),
            new("WsOrleans:Pools:origin:Admission:AllowedOrigins", GoodOrigin),
            .. Backends.AsBackendsOf("origin"),
            new("WsOrleans:Pools:capped:Path", "/capped"),
            new("WsOrleans:Pools:capped:Admission:MaxConnectionsPerAddress", "2"),
            .. Backends.AsBackendsOf("capped"),

            // One token per 1000 s: only the burst, so the test sees the limit without racing the clock.
            new("WsOrleans:Pools:rated:Path", "/rated"),
            new("WsOrleans:Pools:rated:Admission:HandshakesPerSecond", "0.001"),
            new("WsOrleans:Pools:rated:Admission:HandshakeBurst", "2"),
            .. Backends.AsBackendsOf("rated"),
        ]);
        KeyValuePair<string, string?>[] limits =
        [
            new("WsOrleans:Edge:HandshakeTimeout", "00:00:01"),
            new("WsOrleans:Edge:MaxRequestHeadersSize", "8192"),
        ];
        First = await TestEdge.StartAsync([.. Silo.ClientConfiguration, .. limits, new("WsOrleans:Edge:TrustedProxies", "127.0.0.1, ::1")]);
        Second = await TestEdge.StartAsync([.. Silo.ClientConfiguration, .. limits, new("WsOrleans:Edge:TrustedProxies", "10.0.0.0/8")]);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Silo.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AdmissionCollection : ICollectionFixture<AdmissionFixture>
{
    public const string Name = "admission: one silo, two edges with limits";
}
