using WsOrleans.Edge.Affinity;

namespace WsOrleans.Tests.Unit.Affinity;

public sealed class CookieHeaderTests
{
    [Theory]
    [InlineData("srv=abc", null)]
    [InlineData("srv=abc; app=1", "app=1")]
    [InlineData("app=1; srv=abc; theme=dark", "app=1; theme=dark")]
    [InlineData("app=1;srv=abc;srv=old", "app=1")]
    [InlineData("srvx=1; xsrv=2", "srvx=1; xsrv=2")]
    [InlineData("app=1", "app=1")]
    public void Remove_TakesOutOnlyTheNamedCookie(string header, string? expected)
    {
        using var request = new HttpRequestMessage();
        request.Headers.TryAddWithoutValidation("Cookie", header);

        CookieHeader.Remove(request, "srv");

        Assert.Equal(expected, request.Headers.NonValidated.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : null);
    }

    [Fact]
    public void Remove_CookiesInSeveralHeaders_AreJoinedIntoOne()
    {
        using var request = new HttpRequestMessage();
        request.Headers.TryAddWithoutValidation("Cookie", "a=1; srv=x");
        request.Headers.TryAddWithoutValidation("Cookie", "b=2");

        CookieHeader.Remove(request, "srv");

        Assert.Equal(["a=1; b=2"], request.Headers.NonValidated["Cookie"]);
    }
}
