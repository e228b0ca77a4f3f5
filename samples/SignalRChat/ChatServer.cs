using WsOrleans.Samples;

namespace WsOrleans.SignalRChat;

/// <summary>
/// An ASP.NET Core SignalR chat backend on its own Kestrel host, for demos and tests: the hub
/// <c>{BasePath}/hub</c> (<see cref="WhoAmIReply">WhoAmI</see>, <c>Echo</c>, <c>Send</c>) and a page at
/// <c>{BasePath}/</c> that shows which backend and transport it is on. The host reads no configuration
/// files or environment variables, logs only warnings, and leaves Ctrl+C to whoever started it.
/// </summary>
public sealed partial class ChatServer : IAsyncDisposable
{
    private readonly RunningApp _app;
    private readonly ChatServerState _state;

    private ChatServer(WebApplication app, ChatServerState state, Uri httpAddress, string basePath)
    {
        _app = new RunningApp(app);
        _state = state;
        HttpAddress = httpAddress;
        WebSocketAddress = new UriBuilder(httpAddress) { Scheme = "ws" }.Uri;
        BasePath = basePath;
        PageAddress = new Uri(httpAddress, $"{basePath.TrimStart('/')}/");
        HubAddress = new Uri(PageAddress, "hub");
    }

    /// <summary>The server's name, as <c>WhoAmI</c> answers it.</summary>
    public string Id => _state.Id;

    /// <summary>Where the server listens, for example <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The same address with the <c>ws</c> scheme, for example <c>ws://127.0.0.1:5123/</c>: a backend address for the edge.</summary>
    public Uri WebSocketAddress { get; }

    /// <summary>The path prefix of the page and the hub, for example <c>/chat</c>.</summary>
    public string BasePath { get; }

    /// <summary>The page, for example <c>http://127.0.0.1:5123/chat/</c>; add <c>?transport=LongPolling</c> to choose a transport.</summary>
    public Uri PageAddress { get; }

    /// <summary>The hub, for example <c>http://127.0.0.1:5123/chat/hub</c>, for a .NET or JavaScript SignalR client.</summary>
    public Uri HubAddress { get; }

    /// <summary>Hub connections open now, over any transport.</summary>
    public int OpenConnections => _state.OpenConnections;

    /// <summary>Hub connections made since the server started.</summary>
    public long TotalConnections => _state.TotalConnections;

    /// <summary>Starts a server named <paramref name="id"/> on <paramref name="url"/> and returns once it listens.</summary>
    public static Task<ChatServer> StartAsync(string id, string url = ChatServerOptions.DefaultUrl, CancellationToken cancellationToken = default) =>
        StartAsync(new ChatServerOptions { Id = id, Url = url }, cancellationToken);

    /// <summary>Starts a server with <paramref name="options"/> and returns once it listens.</summary>
    public static async Task<ChatServer> StartAsync(ChatServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var state = new ChatServerState(options.Id);
        var app = Build(options.Url, state);
        try
        {
            app.MapHub<ChatHub>($"{options.BasePath}/hub");
            app.UseChatPage(options.BasePath);
            if (!ChatPageEndpoints.HasJavaScriptClient)
            {
                Log.JavaScriptClientMissing(app.Services.GetRequiredService<ILogger<ChatServer>>(), options.Id);
            }

            await app.StartAsync(cancellationToken);
            return new ChatServer(app, state, SampleHost.ListeningAddress(app, options.Url), options.BasePath);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops listening and ends open hub connections. Calling it again returns the same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Stops the server, as <see cref="StopAsync"/> does, and releases it.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static WebApplication Build(string url, ChatServerState state)
    {
        var builder = SampleHost.CreateBuilder(typeof(ChatServer));
        builder.Services.AddSingleton(state);
        builder.Services.AddSignalR();

        var app = builder.Build();
        app.Urls.Add(url);
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Chat server {Id}: " + ChatPageEndpoints.MissingClientMessage)]
        public static partial void JavaScriptClientMissing(ILogger logger, string id);
    }
}
