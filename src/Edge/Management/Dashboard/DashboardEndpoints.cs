namespace WsOrleans.Edge.Management.Dashboard;

/// <summary>
/// The dashboard at <c>GET /</c>: one page, its script and its style, embedded in this assembly, so it
/// needs no files beside the edge and nothing from any other site. The page reads <c>/status</c> and
/// calls the admin API from the listener's own origin, which the admin API's keyless guard lets through.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly DashboardFile[] Files =
    [
        DashboardFile.Load("/", "index.html", "text/html; charset=utf-8"),
        DashboardFile.Load("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        DashboardFile.Load("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        foreach (var file in Files)
        {
            endpoints.MapGet(file.Path, new RequestDelegate(file.WriteAsync));
        }

        return endpoints;
    }
}
