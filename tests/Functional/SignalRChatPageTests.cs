using System.Text.RegularExpressions;
using WsOrleans.Tests.Functional.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// The SignalRChat sample's page in Debian's Chromium, with the official JavaScript client, through an edge: the page,
/// its script, negotiate and the transport all reach one backend by the affinity cookie the page's first answer set.
/// </summary>
public sealed class SignalRChatPageTests(SignalRChatPageFixture fixture) : IClassFixture<SignalRChatPageFixture>
{
    [Theory]
    [InlineData(null, "WebSockets")]
    [InlineData("LongPolling", "LongPolling")]
    [InlineData("ServerSentEvents", "ServerSentEvents")]
    public async Task Page_ShowsItsBackendAndTransport(string? requested, string expected)
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.PageAddress, requested);

        var (backend, transport) = await page.WaitUntilConnectedAsync();

        Assert.Contains(backend, new[] { "a", "b", "c" });
        Assert.Equal(expected, transport);
        var cookie = Assert.Single(await page.Page.Context.CookiesAsync(), c => c.Name == SignalRFixture.AffinityCookie);
        Assert.Equal(("/chat", true), (cookie.Path, cookie.HttpOnly));
        await Expect(page.Error).ToBeHiddenAsync();
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Page_SendsAMessage_AndShowsItWithTheBackend()
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.PageAddress, "LongPolling");
        var (backend, _) = await page.WaitUntilConnectedAsync();

        await page.Page.Locator("#name").FillAsync("ann");
        await page.Page.Locator("#text").FillAsync("hello from the page");
        await page.Page.Locator("#send").ClickAsync();

        await Expect(page.Messages.Last).ToHaveTextAsync($"ann (via {backend}): hello from the page", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Page.Locator("#text")).ToHaveValueAsync("");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Page_WithoutTheSignalRClient_SaysItIsMissing_AndHowToFetchIt()
    {
        await using var page = await ChatPage.OpenAsync(
            fixture.Chromium.Browser,
            fixture.PageAddress,
            beforeNavigation: p => p.RouteAsync("**/signalr.min.js", route => route.FulfillAsync(new() { Status = 404, Body = "missing" })));

        await Expect(page.State).ToHaveTextAsync("failed", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Error).ToContainTextAsync("The SignalR JavaScript client is missing");
        await Expect(page.Error).ToContainTextAsync("npm ci --prefix samples/SignalRChat/client");
    }

    [Fact]
    public async Task Page_WhenTheHubRefuses_ShowsFailedAndWhy()
    {
        await using var page = await ChatPage.OpenAsync(
            fixture.Chromium.Browser,
            fixture.PageAddress,
            beforeNavigation: p => p.RouteAsync("**/hub/negotiate*", route => route.FulfillAsync(new() { Status = 503, Body = "no" })));

        await Expect(page.State).ToHaveTextAsync("failed", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Error).ToContainTextAsync(new Regex("^Could not connect to the chat hub: .*503"));
    }

    [Fact]
    public async Task Page_UnknownTransport_SaysWhichOnesExist()
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.PageAddress, "Carrier-Pigeon");

        await Expect(page.State).ToHaveTextAsync("failed", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Error).ToHaveTextAsync(new Regex("^Unknown transport 'Carrier-Pigeon'.*WebSockets, ServerSentEvents, LongPolling"));
        Assert.Empty(page.Problems);
    }
}
