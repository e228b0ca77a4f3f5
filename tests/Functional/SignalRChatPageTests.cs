using System.Text.RegularExpressions;
using WsOrleans.Tests.Functional.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WsOrleans.Tests.Functional;

/// <summary>The SignalRChat sample's page in Debian's Chromium, with the official JavaScript client, straight against a chat server.</summary>
public sealed class SignalRChatPageTests(SignalRChatPageFixture fixture) : IClassFixture<SignalRChatPageFixture>
{
    [Theory]
    [InlineData(null, "WebSockets")]
    [InlineData("LongPolling", "LongPolling")]
    [InlineData("ServerSentEvents", "ServerSentEvents")]
    public async Task Page_ShowsItsBackendAndTransport(string? requested, string expected)
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.Server.PageAddress, requested);

        var (backend, transport) = await page.WaitUntilConnectedAsync();

        Assert.Equal("a", backend);
        Assert.Equal(expected, transport);
        await Expect(page.Error).ToBeHiddenAsync();
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Page_WebSocketsWithSkipNegotiation_ConnectsWithoutTheNegotiateRequest()
    {
        // A negotiate request would fail here, so connecting proves the page skipped it (as it must behind a
        // balancer without sticky sessions).
        await using var page = await ChatPage.OpenAsync(
            fixture.Chromium.Browser,
            new Uri(fixture.Server.PageAddress, "?skipNegotiation=true"),
            "WebSockets",
            p => p.RouteAsync("**/hub/negotiate*", route => route.FulfillAsync(new() { Status = 503, Body = "no" })));

        var (backend, transport) = await page.WaitUntilConnectedAsync();

        Assert.Equal(("a", "WebSockets"), (backend, transport));
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Page_SendsAMessage_AndShowsItWithTheBackend()
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.Server.PageAddress, "LongPolling");
        await page.WaitUntilConnectedAsync();

        await page.Page.Locator("#name").FillAsync("ann");
        await page.Page.Locator("#text").FillAsync("hello from the page");
        await page.Page.Locator("#send").ClickAsync();

        await Expect(page.Messages.Last).ToHaveTextAsync("ann (via a): hello from the page", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Page.Locator("#text")).ToHaveValueAsync("");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Page_WithoutTheSignalRClient_SaysItIsMissing_AndHowToFetchIt()
    {
        await using var page = await ChatPage.OpenAsync(
            fixture.Chromium.Browser,
            fixture.Server.PageAddress,
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
            fixture.Server.PageAddress,
            beforeNavigation: p => p.RouteAsync("**/hub/negotiate*", route => route.FulfillAsync(new() { Status = 503, Body = "no" })));

        await Expect(page.State).ToHaveTextAsync("failed", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Error).ToContainTextAsync(new Regex("^Could not connect to the chat hub: .*503"));
    }

    [Fact]
    public async Task Page_UnknownTransport_SaysWhichOnesExist()
    {
        await using var page = await ChatPage.OpenAsync(fixture.Chromium.Browser, fixture.Server.PageAddress, "Carrier-Pigeon");

        await Expect(page.State).ToHaveTextAsync("failed", new() { Timeout = ChatPage.DefaultTimeoutMilliseconds });
        await Expect(page.Error).ToHaveTextAsync(new Regex("^Unknown transport 'Carrier-Pigeon'.*WebSockets, ServerSentEvents, LongPolling"));
        Assert.Empty(page.Problems);
    }
}
