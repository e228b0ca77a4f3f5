using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.Routing;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The affinity cookie through two edges sharing one cluster: issued on the first answer, honoured by
/// every edge for HTTP and WebSocket alike, kept from the backends, and, when it is bad in any way,
/// never an error: the request is balanced and the cookie replaced.
/// </summary>
[Collection(TwoEdgesCollection.Name)]
public sealed class CookieAffinityTests(TwoEdgesFixture fixture)
{
    private const string Cookie = "srv";
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false });
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task FirstAnswer_SetsTheCookie_ThenEveryRequestThroughEitherEdge_HttpOrWebSocket_ReachesThatBackend()
    {
        var (backend, cookie) = await GetAsync(fixture.First, "/pinned/negotiate", cookie: null);
        Assert.NotNull(cookie);

        for (var i = 0; i < 10; i++)
        {
            var (again, renewed) = await GetAsync(i % 2 == 0 ? fixture.Second : fixture.First, "/pinned/poll", cookie);
            Assert.Equal((backend, null), (again, renewed));
        }

        foreach (var edge in new[] { fixture.First, fixture.Second })
        {
            using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/pinned"), _timeout, o => o.SetRequestHeader("Cookie", $"{Cookie}={cookie}"));
            Assert.Equal(backend, await socket.AskAsync("whoami", _timeout));
            Assert.False(socket.HttpResponseHeaders!.ContainsKey("Set-Cookie"), "a fresh cookie for the chosen backend is not sent again");
            await socket.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task Handshake_WithoutACookie_GetsItOnThe101_AndTheNextRequestFollowsIt()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Second.WebSocketUri("/pinned"), _timeout);
        var backend = await socket.AskAsync("whoami", _timeout);
        var setCookie = Assert.Single(socket.HttpResponseHeaders!["Set-Cookie"]);
        await socket.CloseQuietlyAsync(_timeout);

        var (next, _) = await GetAsync(fixture.First, "/pinned/negotiate", ValueOf(setCookie));

        Assert.Equal(backend, next);
    }

    [Fact]
    public async Task Status_NamesThePoolsAffinityCookie_NotItsKey()
    {
        var pool = await fixture.Second.PoolAsync("pinned");
        var text = await Http.GetStringAsync(new Uri(fixture.Second.ManagementBase, "/status"), _timeout);

        Assert.Equal(("srv", "forward"), (pool.AffinityCookie, pool.Http));
        Assert.DoesNotContain(Convert.ToBase64String(KeyOf("pinned")), text);
    }

    [Fact]
    public async Task CookieNamesCompareExactly_TheFirstValidOneWins_AndOnlyTheEdgesOwnIsKeptFromTheBackend()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.First.HttpBase, "/pinned/report"));
        request.Headers.TryAddWithoutValidation("Cookie", $"SRV=app-value; {Cookie}=garbage; {Cookie}={Sign("pinned", "c", DateTimeOffset.UtcNow.AddHours(1))}; {Cookie}={Sign("pinned", "a", DateTimeOffset.UtcNow.AddHours(1))}");

        using var response = await Http.SendAsync(request, _timeout);
        var report = await response.Content.ReadAsStringAsync(_timeout);

        Assert.Equal("c", response.Headers.GetValues("X-Backend").Single());
        Assert.Contains("\"Cookie\":\"SRV=app-value\"", report);
    }

    [Fact]
    public async Task NewSessions_AreSpreadByTheStrategy_OverEveryBackend()
    {
        var backends = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            backends.Add((await GetAsync(i % 2 == 0 ? fixture.First : fixture.Second, "/pinned/negotiate", cookie: null)).Backend);
        }

        Assert.Equal(["a", "b", "c"], backends.Distinct().Order());
    }

    [Fact]
    public async Task Backend_NeverSeesTheAffinityCookie_ButSeesTheApplicationsOwn()
    {
        var (_, cookie) = await GetAsync(fixture.First, "/pinned/negotiate", cookie: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Second.HttpBase, "/pinned/report"));
        request.Headers.Add("Cookie", $"app=1; {Cookie}={cookie}; theme=dark");

        using var response = await Http.SendAsync(request, _timeout);
        var report = await response.Content.ReadAsStringAsync(_timeout);

        Assert.Contains("\"Cookie\":\"app=1; theme=dark\"", report);
        Assert.DoesNotContain(cookie!, report);
    }

    public static TheoryData<string> BadCookies => new()
    {
        "garbage",
        "",
        "a.b.c",
        new string('x', 5000),
        "YQ.9999999999.AAAAAAAAAAAAAAAAAAAAAA",
        "YQ.-1.AAAAAAAAAAAAAAAAAAAAAA",
        "%%%.%%%.%%%",
    };

    [Theory]
    [MemberData(nameof(BadCookies))]
    public async Task MalformedOrForgedCookie_IsNoError_TheRequestIsBalanced_AndTheCookieReplaced(string bad)
    {
        await AssertReplacedAsync(bad);
    }

    [Fact]
    public async Task ExpiredCookie_IsReplaced()
    {
        await AssertReplacedAsync(Sign("pinned", "a", DateTimeOffset.UtcNow.AddSeconds(-1)));
    }

    [Fact]
    public async Task CookieForABackendThePoolDoesNotHave_IsReplaced()
    {
        await AssertReplacedAsync(Sign("pinned", "removed", DateTimeOffset.UtcNow.AddHours(1)));
    }

    [Fact]
    public async Task CookieOfAnotherPool_IsReplaced_EvenWithTheSameName()
    {
        var (_, other) = await GetAsync(fixture.First, "/pinned2/negotiate", cookie: null);

        await AssertReplacedAsync(other!);
    }

    [Fact]
    public async Task BoundBackendDraining_KeepsTheSessionsItHas_WithADeadline_TheyAreBalancedElsewhere_UndrainedHonouredAgain()
    {
        var cookie = Sign("pinned", "b", DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(("b", null), await GetAsync(fixture.First, "/pinned/x", cookie));
        var admin = new AdminClient(fixture.First.ManagementBase, apiKey: null);
        try
        {
            // A drain stops new sessions; a long poll or event stream of one in progress still reaches its backend.
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Post, "/pools/pinned/backends/b/drain", cancellationToken: _timeout)).Status);
            Assert.Equal(("b", null), await GetAsync(fixture.Second, "/pinned/poll", cookie));
            Assert.DoesNotContain(await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GetAsync(fixture.Second, "/pinned/negotiate", cookie: null))), answer => answer.Backend == "b");

            // With a deadline the backend must empty: its sessions move, with a new cookie.
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Post, "/pools/pinned/backends/b/drain", """{ "closeWithin": "00:01:00" }""", cancellationToken: _timeout)).Status);
            var (moved, replaced) = await GetAsync(fixture.Second, "/pinned/x", cookie);

            Assert.NotEqual("b", moved);
            Assert.Equal(moved, BackendOf("pinned", replaced));
        }
        finally
        {
            await admin.SendAsync(HttpMethod.Post, "/pools/pinned/backends/b/undrain", cancellationToken: _timeout);
        }

        await Eventually.Until(() => GetAsync(fixture.First, "/pinned/x", cookie), answer => answer.Backend == "b", "the undrained backend to take its cookie's requests again");
    }

    private async Task AssertReplacedAsync(string bad)
    {
        var (backend, replaced) = await GetAsync(fixture.Second, "/pinned/negotiate", bad);

        Assert.NotNull(replaced);
        Assert.Equal(backend, BackendOf("pinned", replaced));
        Assert.Equal((backend, null), await GetAsync(fixture.First, "/pinned/again", replaced));
    }

    /// <summary>A GET with the affinity cookie (when not null); the backend that answered and the new cookie's value (null when none was set).</summary>
    private async Task<(string Backend, string? SetCookie)> GetAsync(TestEdge edge, string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.HttpBase, path));
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{Cookie}={cookie}");
        }

        using var response = await Http.SendAsync(request, _timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? ValueOf(Assert.Single(values)) : null;
        return (response.Headers.GetValues("X-Backend").Single(), setCookie);
    }

    private static string ValueOf(string setCookie)
    {
        var pair = setCookie.Split(';')[0];
        Assert.StartsWith($"{Cookie}=", pair);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=lax", setCookie);
        return pair[(Cookie.Length + 1)..];
    }

    private string Sign(string pool, string backend, DateTimeOffset expires) =>
        AffinityCookieCodec.Encode(pool, backend, expires, KeyOf(pool));

    private string? BackendOf(string pool, string? cookie) =>
        AffinityCookieCodec.TryDecode(cookie, pool, KeyOf(pool), DateTimeOffset.UtcNow, out var backend, out _) ? backend : null;

    private byte[] KeyOf(string pool) => Convert.FromBase64String(
        fixture.First.Services.GetRequiredService<PoolRouteTable>().Routes.Single(r => r.Name == pool).AffinityCookie!.SigningKey);
}
