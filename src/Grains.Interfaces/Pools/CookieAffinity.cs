namespace WsOrleans.Pools;

/// <summary>What an edge needs to issue and check a pool's affinity cookies.</summary>
/// <param name="Name">The cookie's name.</param>
/// <param name="Ttl">How long a cookie lives after it was issued; edges renew it while it is used.</param>
/// <param name="SigningKey">
/// The pool's secret key (base64), shared by every edge through the cluster: a cookie names its backend
/// with a signature of this key, so a client cannot choose a backend, nor bring a cookie of another pool.
/// </param>
[GenerateSerializer, Immutable, Alias("wsorleans.cookie-affinity")]
public sealed record class CookieAffinity(
    [property: Id(0)] string Name,
    [property: Id(1)] TimeSpan Ttl,
    [property: Id(2)] string SigningKey)
{
    /// <summary>Leaves the key out of the record's text, so no log or exception message shows it.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Name = {Name}, Ttl = {Ttl}, SigningKey = (hidden)");
        return true;
    }
}
