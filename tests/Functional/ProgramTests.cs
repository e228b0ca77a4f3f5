using System.Net.Http.Json;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>The built Silo and Edge programs, run as real processes the way an operator runs them.</summary>
public sealed class ProgramTests
{
    private static readonly HttpClient Http = new();
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    [Fact]
    public async Task Edge_WithBadConfiguration_ExitsNonZeroNamingEveryBadKey()
    {
        await using var edge = ChildProcess.Start(
            "WsOrleans.Edge",
            "--WsOrleans:Pools:p:Strategy=Fastest",
            "--WsOrleans:Pools:p:Backends:0:Address=http://127.0.0.1:1",
            "--WsOrleans:Pools:p:Backends:0:Weight=heavy",
            "--WsOrleans:Cluster:GatewayPort=0");

        var exitCode = await edge.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("WsOrleans:Pools:p:Strategy = 'Fastest': must be one of RoundRobin, LeastConnections, IpHash, Hash, Sticky", edge.Output);
        Assert.Contains("WsOrleans:Pools:p:Backends:0:Address = 'http://127.0.0.1:1'", edge.Output);
        Assert.Contains("WsOrleans:Pools:p:Backends:0:Weight = 'heavy'", edge.Output);
        Assert.Contains("WsOrleans:Cluster:GatewayPort = '0'", edge.Output);
    }

    [Fact]
    public async Task Demo_ServesTheEchoPoolAndTheSignalRChatPageWithItsAffinityCookie()
    {
        var (publicPort, managementPort) = (FreePort.Next(), FreePort.Next());
        await using var demo = ChildProcess.Start(
            "WsOrleans.Edge",
            "--demo",
            $"--Urls=http://127.0.0.1:{publicPort}",
            $"--WsOrleans:Management:Urls=http://127.0.0.1:{managementPort}",
            $"--WsOrleans:Cluster:SiloPort={FreePort.Next()}",
            $"--WsOrleans:Cluster:GatewayPort={FreePort.Next()}");
        var chat = $"http://127.0.0.1:{publicPort}/chat/";
        await Eventually.Until(() => Task.FromResult(demo.Output), output => output.Contains($"SignalR chat        {chat}", StringComparison.Ordinal), () => $"the demo to print where its chat is; it printed: {demo.Output}", TimeSpan.FromSeconds(60));

        using var page = await Http.GetAsync(chat, _timeout);
        using var socket = await WebSocketClient.ConnectAsync(new Uri($"ws://127.0.0.1:{publicPort}/ws"), _timeout);

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("SignalR chat", await page.Content.ReadAsStringAsync(_timeout));
        Assert.StartsWith("wsorleans-chat=", Assert.Single(page.Headers.GetValues("Set-Cookie")));
        Assert.StartsWith("echo-", await socket.AskAsync("whoami", _timeout));
        await socket.CloseQuietlyAsync(_timeout);
    }

    [Fact]
    public async Task Silo_InEmbeddedMode_ExitsNonZeroSayingWhichModeToUse()
    {
        await using var silo = ChildProcess.Start("WsOrleans.Silo");

        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("--WsOrleans:Cluster:Mode=Localhost", silo.Output);
    }

    [Fact]
    public async Task LocalhostMode_OneSiloTwoEdgeProcesses_BalanceAnyWebSocketServer()
    {
        await using var backends = await EchoBackends.StartAsync(2);
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        var cluster = new[] { "--WsOrleans:Cluster:Mode=Localhost", $"--WsOrleans:Cluster:GatewayPort={gatewayPort}" };
        await using var silo = ChildProcess.Start("WsOrleans.Silo",
        [
            .. cluster,
            $"--WsOrleans:Cluster:SiloPort={siloPort}",
            $"--WsOrleans:Cluster:PrimarySiloPort={siloPort}",
            "--WsOrleans:Pools:default:Strategy=RoundRobin",
            .. backends.AsBackendsOf("default").Select(kv => $"--{kv.Key}={kv.Value}"),
        ]);

        var edges = new List<(ChildProcess Process, Uri Public, Uri Management)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var (publicPort, managementPort) = (FreePort.Next(), FreePort.Next());
                var process = ChildProcess.Start("WsOrleans.Edge",
                [
                    .. cluster,
                    $"--Urls=http://127.0.0.1:{publicPort}",
                    $"--WsOrleans:Management:Urls=http://127.0.0.1:{managementPort}",
                ]);
                edges.Add((process, new Uri($"ws://127.0.0.1:{publicPort}"), new Uri($"http://127.0.0.1:{managementPort}")));
            }

            foreach (var edge in edges)
            {
                await Eventually.Until(
                    () => TryStatus(edge.Management),
                    status => status?.Pools.Any(p => p.Name == "default") == true,
                    () => $"edge {edge.Public} to serve pool 'default' (edge output: {edge.Process.Output}; silo output: {silo.Output})",
                    TimeSpan.FromSeconds(60));
            }

            var answers = new List<string>();
            foreach (var edge in edges.Concat(edges))
            {
                using var socket = await WebSocketClient.ConnectAsync(new Uri(edge.Public, "/ws"), _timeout);
                answers.Add(await socket.AskAsync("whoami", _timeout));
                await socket.CloseQuietlyAsync(_timeout);
            }

            // Round robin across both edges is one sequence, because it lives in the routing grain.
            Assert.Equal(["a", "b", "a", "b"], answers);
        }
        finally
        {
            foreach (var edge in edges)
            {
                await edge.Process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Silo_WithDashboardUrls_ServesTheOrleansDashboardThere()
    {
        var (siloPort, dashboardPort) = (FreePort.Next(), FreePort.Next());
        var dashboard = new Uri($"http://127.0.0.1:{dashboardPort}");
        await using var silo = ChildProcess.Start("WsOrleans.Silo",
            "--WsOrleans:Cluster:Mode=Localhost",
            $"--WsOrleans:Cluster:SiloPort={siloPort}",
            $"--WsOrleans:Cluster:PrimarySiloPort={siloPort}",
            $"--WsOrleans:Cluster:GatewayPort={FreePort.Next()}",
            $"--WsOrleans:Cluster:DashboardUrls={dashboard}");

        // The dashboard's own API: this silo, active, in the cluster's list of hosts.
        var counters = await Eventually.Until(
            () => TryGetString(new Uri(dashboard, "/DashboardCounters")),
            text => text?.Contains("\"status\":\"Active\"", StringComparison.Ordinal) == true,
            () => $"the dashboard to list the silo as active (silo {(silo.HasExited ? $"exited with {silo.ExitCode}" : "running")}, output: {silo.Output})",
            TimeSpan.FromSeconds(120));
        var page = await Http.GetStringAsync(dashboard, _timeout);

        Assert.Contains($"127.0.0.1:{siloPort}", counters!);
        Assert.Contains("<title>Orleans Dashboard</title>", page);
    }

    private static async Task<string?> TryGetString(Uri uri)
    {
        try
        {
            return await Http.GetStringAsync(uri);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<StatusView?> TryStatus(Uri management)
    {
        try
        {
            return await Http.GetFromJsonAsync<StatusView>(new Uri(management, "/status"));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
