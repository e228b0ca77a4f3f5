using System.Security.Cryptography;
using WsOrleans.Edge.Affinity;
using WsOrleans.Pools;

namespace WsOrleans.Tests.Unit.Affinity;

public sealed class AffinityTicketTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly CookieAffinity Affinity = new("srv", TimeSpan.FromHours(1), Convert.ToBase64String(Key));
    private static readonly PoolRoute Pool = new("chat", "/chat", null, 1, AffinityCookie: Affinity);

    [Fact]
    public void NoCookie_GetsOneNamingTheChosenBackend_WithTheAttributesOfAnAffinityCookie()
    {
        var ticket = new AffinityTicket(Pool, Affinity, Key, brought: false, preferred: null, expires: default);

        ticket.Chosen("b", Now, https: false);

        Assert.NotNull(ticket.SetCookie);
        var attributes = ticket.SetCookie.Split("; ");
        Assert.StartsWith("srv=", attributes[0]);
        Assert.Contains("path=/chat", attributes);
        Assert.Contains("max-age=3600", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain("secure", attributes);
        Assert.True(AffinityCookieCodec.TryDecode(attributes[0]["srv=".Length..], "chat", Key, Now, out var backend, out _));
        Assert.Equal("b", backend);
    }

    [Fact]
    public void OverTls_TheCookieIsSecure()
    {
        var ticket = new AffinityTicket(Pool, Affinity, Key, brought: false, preferred: null, expires: default);

        ticket.Chosen("b", Now, https: true);

        Assert.Contains("secure", ticket.SetCookie!.Split("; "));
    }

    [Fact]
    public void FreshCookieForTheChosenBackend_IsLeftAsItIs()
    {
        var ticket = new AffinityTicket(Pool, Affinity, Key, brought: true, preferred: "b", expires: Now.AddMinutes(40));

        ticket.Chosen("b", Now, https: false);

        Assert.Null(ticket.SetCookie);
    }

    [Fact]
    public void CookieWithLessThanHalfItsLifeLeft_IsRenewed()
    {
        var ticket = new AffinityTicket(Pool, Affinity, Key, brought: true, preferred: "b", expires: Now.AddMinutes(20));

        ticket.Chosen("b", Now, https: false);

        Assert.NotNull(ticket.SetCookie);
    }

    [Fact]
    public void CookieForABackendThatWasNotChosen_IsReplaced()
    {
        var ticket = new AffinityTicket(Pool, Affinity, Key, brought: true, preferred: "a", expires: Now.AddMinutes(59));

        ticket.Chosen("c", Now, https: false);

        var value = ticket.SetCookie!.Split("; ")[0]["srv=".Length..];
        Assert.True(AffinityCookieCodec.TryDecode(value, "chat", Key, Now, out var backend, out _));
        Assert.Equal("c", backend);
    }
}
