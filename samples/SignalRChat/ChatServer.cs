namespace WsOrleans.SignalRChat;

/// <summary>
/// An ASP.NET Core SignalR chat backend on its own Kestrel host, for demos and tests: the hub
/// <c>{BasePath}/hub</c> (<see cref="WhoAmIReply">WhoAmI</see>, <c>Echo</c>, <c>Send</c>) and a page at
/// <c>{BasePath}/</c> that shows which backend and transport it is on. The host reads no configuration
/// files or environment variables, logs only warnings, and leaves Ctrl+C to whoever started it.
/// </summary>
public sealed partial class ChatServer : IAsyncDisposable
{
    /// <summary>The longest a stop waits for connections and requests to end before Kestrel drops them.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly ChatServerState _state;
    private readonly Lock _stopLock = new();
    private Task? _stopping;
    private int _disposed;

    private ChatServer(WebApplication app, ChatServerState state, Uri httpAddress, string basePath)
    {
        _app = app;
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
            app.MapChatPage(options.BasePath);
            if (!ChatPageEndpoints.HasJavaScriptClient)
            {
                Log.JavaScriptClientMissing(app.Services.GetRequiredService<ILogger<ChatServer>>(), options.Id);
            }

            await app.StartAsync(cancellationToken);
            return new ChatServer(app, state, ListeningAddress(app, options.Url), options.BasePath);
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
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopLock)
        {
            return _stopping ??= _app.StopAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server, as <see cref="StopAsync"/> does, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static WebApplication Build(string url, ChatServerState state)
    {
        // The empty builder reads no appsettings.json or environment, so a chat server started inside a
        // test host never picks up that host's Kestrel endpoints or URLs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ChatServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(state);
        builder.Services.AddSignalR();

        var app = builder.Build();
        app.Urls.Add(url);
        return app;
    }

    // Kestrel reports the port it actually bound; a wildcard host becomes loopback so the address can be dialled.
    private static Uri ListeningAddress(WebApplication app, string url)
    {
        var bound = app.Urls.FirstOrDefault()
            ?? throw new InvalidOperationException($"Kestrel reported no address after starting on '{url}'.");
        var address = new UriBuilder(bound.Replace("://*:", "://0.0.0.0:").Replace("://+:", "://0.0.0.0:"));
        address.Host = address.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => address.Host,
        };
        address.Path = "/";
        return address.Uri;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Chat server {Id}: " + ChatPageEndpoints.MissingClientMessage)]
        public static partial void JavaScriptClientMissing(ILogger logger, string id);
    }
}
