using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WsOrleans.Tests.Functional.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WsOrleans.Tests.Functional;

/// <summary>The dashboard at <c>GET /</c> of the management listener, in a real browser against a live edge.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private static readonly HttpClient Http = new();

    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Page_ShowsEveryBackend_AndItsLiveCountFollowsClients()
    {
        await using var browser = await OpenAsync();
        var pool = browser.Page.GetByRole(AriaRole.Region, new() { Name = "Pool live" });

        await Expect(Field(pool, "a", "address")).ToHaveTextAsync(fixture.Backends["a"].WebSocketAddress.ToString().TrimEnd('/'));
        await Expect(Field(pool, "a", "health")).ToHaveTextAsync("healthy");
        await Expect(Field(pool, "a", "adminState")).ToHaveTextAsync("active");
        await Expect(Field(pool, "a", "connections")).ToHaveTextAsync("0");
        await Expect(Field(pool, "b", "connections")).ToHaveTextAsync("0");

        var sockets = new List<ClientWebSocket>();
        try
        {
            var landed = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
            for (var i = 0; i < 3; i++)
            {
                var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/live"), _timeout);
                sockets.Add(socket);
                landed[await socket.AskAsync("whoami", _timeout)]++;
            }

            await Expect(Field(pool, "a", "connections")).ToHaveTextAsync(landed["a"].ToString());
            await Expect(Field(pool, "b", "connections")).ToHaveTextAsync(landed["b"].ToString());
            await Expect(pool.Locator("canvas")).ToHaveAttributeAsync("aria-label", new Regex($"now a {landed["a"]}, b {landed["b"]}$"));

            await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync(_timeout)));

            await Expect(Field(pool, "a", "connections")).ToHaveTextAsync("0");
            await Expect(Field(pool, "b", "connections")).ToHaveTextAsync("0");
            await Expect(Field(pool, "a", "totalConnections")).ToHaveTextAsync(landed["a"].ToString());
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync(_timeout)));
        }

        // Silos and edges show when /status has them, and nothing at all when it does not.
        using var status = JsonDocument.Parse(await Http.GetStringAsync(new Uri(fixture.Edge.ManagementBase, "/status"), _timeout));
        foreach (var (name, title) in new[] { ("silos", "Silos"), ("edges", "Edges") })
        {
            var section = browser.Page.GetByRole(AriaRole.Region, new() { Name = title, Exact = true });
            if (status.RootElement.TryGetProperty(name, out _))
            {
                await Expect(section).ToBeVisibleAsync();
            }
            else
            {
                await Expect(section).ToBeHiddenAsync();
            }
        }

        browser.AssertOnlyOwnOriginAndNoErrors(fixture.Edge.ManagementBase);
    }

    [Fact]
    public async Task DrainButton_RefusedWithoutKeyOrWithAnother_DrainsWithTheKey_AndUndrains()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;
        var pool = page.GetByRole(AriaRole.Region, new() { Name = "Pool drain" });
        var notice = page.GetByRole(AriaRole.Status);
        var key = page.GetByLabel("API key");

        await page.GetByRole(AriaRole.Button, new() { Name = "Drain backend b of pool drain" }).ClickAsync();

        await Expect(notice).ToHaveTextAsync(new Regex("^Could not drain backend b of pool drain: 401 .*Authorization: Bearer.*Enter the edge's API key above\\.$"));
        await Expect(key).ToBeFocusedAsync();
        Assert.Equal("active", await AdminStateAsync("drain", "b"));

        await key.FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Drain backend b of pool drain" }).ClickAsync();

        await Expect(notice).ToHaveTextAsync(new Regex("^Could not drain backend b of pool drain: 403 .*not this edge's WsOrleans:Management:ApiKey"));
        Assert.Equal("active", await AdminStateAsync("drain", "b"));

        await key.FillAsync(DashboardFixture.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Drain backend b of pool drain" }).ClickAsync();

        await Expect(notice).ToHaveTextAsync("Backend b of pool drain is draining.");
        await Expect(Field(pool, "b", "adminState")).ToHaveTextAsync("draining");
        await Expect(Field(pool, "a", "adminState")).ToHaveTextAsync("active");
        Assert.Equal("draining", await AdminStateAsync("drain", "b"));

        // The key stays for the tab (sessionStorage): after a reload, undrain needs no typing.
        await page.ReloadAsync();
        await Expect(key).ToHaveValueAsync(DashboardFixture.ApiKey);
        await Expect(Field(pool, "b", "adminState")).ToHaveTextAsync("draining");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undrain backend b of pool drain" }).ClickAsync();

        await Expect(Field(pool, "b", "adminState")).ToHaveTextAsync("active");
        Assert.Equal("active", await AdminStateAsync("drain", "b"));
        browser.AssertOnlyOwnOriginAndNoErrors(fixture.Edge.ManagementBase);
    }

    [Fact]
    public async Task Page_RendersSilosEdgesAndProbeDetail_WhenStatusHasThem()
    {
        await using var browser = await OpenAsync();
        var page = browser.Page;

        // The fields other issues add to /status, added here to the live answer.
        await page.RouteAsync("**/status", async route =>
        {
            var response = await route.FetchAsync();
            var status = JsonNode.Parse(await response.TextAsync())!.AsObject();
            status["silos"] = JsonNode.Parse("""[{ "address": "10.0.0.5:11111", "status": "Active", "since": "2026-01-02T03:04:05Z" }]""");
            status["problems"] = JsonNode.Parse("""["edges: something could not be read (test)"]""");
            status["edges"] = JsonNode.Parse("""[{ "id": "edge-7", "address": "10.0.0.8:8080", "lastHeartbeat": "2026-01-02T03:04:05Z", "liveConnections": 42 }]""");
            var backends = status["pools"]!.AsArray().Single(p => (string?)p!["name"] == "schema")!["backends"]!.AsArray();
            foreach (var backend in backends)
            {
                backend!["lastProbe"] = JsonNode.Parse("""{ "result": "refused", "at": "2026-01-02T03:04:05Z" }""");
                backend["connectionsByEdge"] = JsonNode.Parse("""{ "edge-8": 2, "edge-7": 40, "edge-9": 0 }""");
            }

            backends[0]!["closeBy"] = DateTimeOffset.UtcNow.AddSeconds(30).ToString("O");
            backends[0]!["rampedWeight"] = 0.4;
            backends[1]!["emptySince"] = "2026-01-02T03:04:05Z";

            await route.FulfillAsync(new() { Response = response, Body = status.ToJsonString() });
        });

        var silos = page.GetByRole(AriaRole.Region, new() { Name = "Silos", Exact = true });
        await Expect(silos.GetByRole(AriaRole.Row, new() { Name = "10.0.0.5:11111" })).ToContainTextAsync("Active");
        var edge = page.GetByRole(AriaRole.Region, new() { Name = "Edges", Exact = true }).GetByRole(AriaRole.Row, new() { Name = "edge-7" });
        await Expect(edge).ToContainTextAsync("10.0.0.8:8080");
        await Expect(edge.Locator("[data-field='connections']")).ToHaveTextAsync("42");
        await Expect(page.Locator("#summary")).ToContainTextAsync("1 silo · 1 edge");
        var pool = page.GetByRole(AriaRole.Region, new() { Name = "Pool schema" });
        await Expect(Field(pool, "a", "healthDetail")).ToContainTextAsync("lastProbe result refused");
        await Expect(Field(pool, "a", "byEdge")).ToHaveTextAsync("edge-7 40 · edge-8 2");
        await Expect(Field(pool, "a", "drain")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^closing \d+ in (2\d|30) s$"));
        await Expect(Field(pool, "a", "ramp")).ToHaveTextAsync("slow start: 0.4 now");
        await Expect(Field(pool, "b", "drain")).ToContainTextAsync("empty since");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The cluster's status is incomplete: edges: something could not be read (test).");
        browser.AssertOnlyOwnOriginAndNoErrors(fixture.Edge.ManagementBase);
    }

    [Fact]
    public async Task Files_AreServedFromTheEdge_WithCachingAndFramingHeaders()
    {
        using var page = await Http.GetAsync(fixture.Edge.ManagementBase, _timeout);
        using var script = await Http.GetAsync(new Uri(fixture.Edge.ManagementBase, "/dashboard.js"), _timeout);
        using var style = await Http.GetAsync(new Uri(fixture.Edge.ManagementBase, "/dashboard.css"), _timeout);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("<script src=\"dashboard.js\"", await page.Content.ReadAsStringAsync(_timeout));

        using var again = new HttpRequestMessage(HttpMethod.Get, fixture.Edge.ManagementBase);
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var revalidated = await Http.SendAsync(again, _timeout);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    private static ILocator Field(ILocator pool, string backend, string field) =>
        pool.Locator($"tbody tr[data-key='{backend}'] [data-field='{field}']");

    private async Task<string> AdminStateAsync(string pool, string backend) =>
        (await fixture.Edge.PoolAsync(pool)).Backends.Single(b => b.Id == backend).AdminState;

    private async Task<DashboardPage> OpenAsync()
    {
        var context = await fixture.Chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var opened = new DashboardPage(context, page);
        await page.GotoAsync(fixture.Edge.ManagementBase.ToString());
        return opened;
    }

    /// <summary>A page in a browser context of its own, recording what it fetched and what went wrong in it.</summary>
    private sealed class DashboardPage : IAsyncDisposable
    {
        private readonly IBrowserContext _context;
        private readonly List<string> _requests = [];
        private readonly List<string> _problems = [];

        public DashboardPage(IBrowserContext context, IPage page)
        {
            _context = context;
            Page = page;
            page.Request += (_, request) => { lock (_requests) { _requests.Add(request.Url); } };
            page.PageError += (_, error) => { lock (_problems) { _problems.Add($"uncaught: {error}"); } };
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    lock (_problems) { _problems.Add($"console: {message.Text}"); }
                }
            };
        }

        public IPage Page { get; }

        /// <summary>Every request went to the management listener itself, and no script error or console error happened.</summary>
        public void AssertOnlyOwnOriginAndNoErrors(Uri managementBase)
        {
            var origin = managementBase.GetLeftPart(UriPartial.Authority) + "/";
            lock (_requests)
            {
                Assert.All(_requests, url => Assert.StartsWith(origin, url));
            }

            lock (_problems)
            {
                Assert.DoesNotContain(_problems, p => !IsExpectedRefusal(p));
            }
        }

        /// <summary>Chromium logs every 4xx a fetch gets; the drain test provokes 401 and 403 on purpose.</summary>
        private static bool IsExpectedRefusal(string problem) =>
            problem.StartsWith("console: Failed to load resource: the server responded with a status of 401", StringComparison.Ordinal)
            || problem.StartsWith("console: Failed to load resource: the server responded with a status of 403", StringComparison.Ordinal);

        public async ValueTask DisposeAsync() => await _context.DisposeAsync();
    }
}
