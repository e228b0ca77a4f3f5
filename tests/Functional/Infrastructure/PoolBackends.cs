namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The configuration that lists servers as the backends of a pool.</summary>
internal static class PoolBackends
{
    /// <summary><c>WsOrleans:Pools:{pool}:Backends:{i}:Id</c> and <c>:Address</c> for each server, in order.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Of(string pool, IEnumerable<(string Id, Uri Address)> servers) =>
        servers.SelectMany((server, i) => new KeyValuePair<string, string?>[]
        {
            new($"WsOrleans:Pools:{pool}:Backends:{i}:Id", server.Id),
            new($"WsOrleans:Pools:{pool}:Backends:{i}:Address", server.Address.ToString().TrimEnd('/')),
        });
}
