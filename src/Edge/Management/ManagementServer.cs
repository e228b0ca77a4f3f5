using System.Text.Json;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management;

/// <summary>
/// The management listener (<see cref="ManagementSettings.Urls"/>, loopback by default): a Kestrel
/// server of its own, so status and admin routes can never be reached through the public listener.
/// It reads no configuration of its own: the edge's (its <c>Urls</c> above all) must not leak in.
/// </summary>
internal sealed class ManagementServer(StatusReader status, WsOrleansSettings settings, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private WebApplication? _app;

    /// <summary>The addresses the listener is bound to (with real ports when configured with port 0).</summary>
    public IReadOnlyList<string> Addresses => _app?.Urls.ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = settings.Management.UrlList;
        if (urls.Count == 0)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "WsOrleans.Management" });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(status);

        var app = builder.Build();
        foreach (var url in urls)
        {
            app.Urls.Add(url);
        }

        app.UseRouting();
        app.MapGet("/status", async (StatusReader reader, CancellationToken ct) => Results.Json(await reader.ReadAsync(ct), Json));
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
