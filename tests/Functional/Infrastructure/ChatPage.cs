using Microsoft.Playwright;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// The SignalRChat sample's page in a browser context of its own, opened at any address: a chat server's
/// <see cref="SignalRChat.ChatServer.PageAddress"/>, or the same path through an edge. It records the
/// script errors and console errors the page had.
/// </summary>
internal sealed class ChatPage : IAsyncDisposable
{
    /// <summary>How long the page may take to connect: long polling on a loaded machine is the slowest.</summary>
    public const float DefaultTimeoutMilliseconds = 15_000;

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private ChatPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
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

    public ILocator State => Page.Locator("#state");

    public ILocator Backend => Page.Locator("#backend");

    public ILocator Transport => Page.Locator("#transport");

    public ILocator Error => Page.Locator("#error");

    public ILocator Messages => Page.Locator("#messages li");

    /// <summary>Script errors and console errors so far.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="pageAddress"/> (for example <c>http://127.0.0.1:5123/chat/</c>) with
    /// <c>?transport=</c><paramref name="transport"/> when one is given. <paramref name="beforeNavigation"/>
    /// may set up routes on the page first.
    /// </summary>
    public static async Task<ChatPage> OpenAsync(IBrowser browser, Uri pageAddress, string? transport = null, Func<IPage, Task>? beforeNavigation = null)
    {
        var context = await browser.NewContextAsync();
        try
        {
            var chat = new ChatPage(context, await context.NewPageAsync());
            if (beforeNavigation is not null)
            {
                await beforeNavigation(chat.Page);
            }

            await chat.Page.GotoAsync(WithTransport(pageAddress, transport).ToString());
            return chat;
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the page says it is connected and returns the backend and transport it shows; fails with
    /// the page's state and error when it settles on anything else or the time runs out.
    /// </summary>
    public async Task<(string Backend, string Transport)> WaitUntilConnectedAsync(float timeoutMilliseconds = DefaultTimeoutMilliseconds)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "() => ['connected', 'failed', 'disconnected'].includes(document.body.dataset.state)",
                null,
                new() { Timeout = timeoutMilliseconds });
        }
        catch (TimeoutException)
        {
        }

        var state = await State.TextContentAsync();
        if (state != "connected")
        {
            Assert.Fail($"Expected the chat page at {Page.Url} to connect within {timeoutMilliseconds / 1000:0.#} s; its state is '{state}', its error '{await Error.TextContentAsync()}'; problems: [{string.Join("; ", Problems)}]");
        }

        return ((await Backend.TextContentAsync())!, (await Transport.TextContentAsync())!);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private static Uri WithTransport(Uri pageAddress, string? transport)
    {
        if (transport is null)
        {
            return pageAddress;
        }

        var address = new UriBuilder(pageAddress);
        var parameter = $"transport={Uri.EscapeDataString(transport)}";
        address.Query = address.Query.Length > 1 ? $"{address.Query[1..]}&{parameter}" : parameter;
        return address.Uri;
    }
}
