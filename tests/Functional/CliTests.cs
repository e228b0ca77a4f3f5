using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>The <c>wsorleans</c> CLI against a live edge: what an operator sees on stdout and stderr, its exit codes, and the effect in <c>/status</c>.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTests(CliFixture fixture)
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Status_PrintsARowPerBackend_WithItsLiveConnections()
    {
        await Eventually.Until(() => fixture.Edge.PoolAsync("status"), p => p.Backends.All(b => b.Health == "healthy"), "both backends healthy by their probes");
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/status"), _timeout);
        var holder = await socket.AskAsync("whoami", _timeout);
        try
        {
            var run = await fixture.RunAsync("status");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("POOL status  path /status  strategy RoundRobin  version 1", run.Output);
            Assert.Contains("  ID  ADDRESS", run.Output);
            var rows = run.BackendRows("status");
            Assert.Equal(["a", "b"], rows.Keys.Order());
            var other = holder == "a" ? "b" : "a";
            Assert.Equal(
                [holder, fixture.Backends[holder].WebSocketAddress.ToString().TrimEnd('/'), "1", "healthy", "active", "1", "-", "1"],
                rows[holder]);
            Assert.Equal("0", rows[other][5]);
            Assert.Equal("", run.Error);
        }
        finally
        {
            await socket.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task Help_ListsTheCommandsAndOptions_Exits0()
    {
        var run = await CliRun.RunAsync(["--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.All(["status", "backends", "strategy", "--edge <url>", "--api-key <key>", "WSORLEANS_EDGE", "WSORLEANS_API_KEY"], text => Assert.Contains(text, run.Output));
    }

    [Fact]
    public async Task Status_PrintsOtherListsOfTheDocument_AsTablesOfTheirPlainFields()
    {
        // An edge whose /status also lists silos and edges (issue #6 adds them): the CLI shows what it does not know field by field.
        await using var app = await CannedStatusAsync("""
            { "silos": [ { "address": "10.0.0.5:11111", "status": "Active", "since": "2026-11-29T04:00:00Z" } ],
              "edges": [ { "id": "edge-1", "connections": 3, "lastHeartbeat": "2026-11-29T05:00:00Z", "tags": { "zone": "a" } },
                         { "id": "edge-2", "connections": 0, "lastHeartbeat": null } ],
              "pools": [ { "name": "p", "path": "/p", "strategy": "Sticky", "hashKey": null, "affinityKey": "cookie:s", "version": 2, "backends": [] } ] }
            """);

        var run = await CliRun.RunAsync(["status", "--edge", app.Urls.First()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            """
            SILOS
              ADDRESS         STATUS  SINCE
              10.0.0.5:11111  Active  2026-11-29T04:00:00Z

            EDGES
              ID      CONNECTIONS  LASTHEARTBEAT
              edge-1  3            2026-11-29T05:00:00Z
              edge-2  0            -

            POOL p  path /p  strategy Sticky on cookie:s  version 2
              (no backends)

            1 pool, 0 backends, 0 live connections

            """.ReplaceLineEndings("\n"),
            run.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task StatusJson_PrintsTheEdgesStatusDocument()
    {
        var run = await fixture.RunAsync("status", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var printed = JsonDocument.Parse(run.Output);
        var pools = printed.RootElement.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal((await fixture.Edge.StatusAsync()).Pools.Select(p => p.Name), pools);
    }

    [Fact]
    public async Task BackendsAdd_AddsTheBackend_RefusesTheSameIdAgain_SetReplacesIt()
    {
        var b = fixture.Backends["b"].WebSocketAddress.ToString().TrimEnd('/');
        var c = fixture.Backends["c"].WebSocketAddress.ToString().TrimEnd('/');

        var added = await fixture.RunAsync("backends", "add", "add", "d", "--address", b, "--weight", "3", "--max-connections", "5");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.StartsWith($"Added backend 'd' of pool 'add': {b}, weight 3, at most 5 connections", added.Output);
        var d = (await fixture.Edge.PoolAsync("add")).Backends[1];
        Assert.Equal(("d", b, 3, 5, "active", 0L, 0L), (d.Id, d.Address, d.Weight, d.MaxConnections, d.AdminState, d.Connections, d.TotalConnections));
        Assert.Contains(d.Health, new[] { "unknown", "healthy" }); // unknown until its first probes pass
        var sockets = new List<ClientWebSocket>();
        try
        {
            // Smooth weighted round robin over a (weight 1) and d (weight 3, the echo server b): 1 and 3 of 4.
            for (var i = 0; i < 4; i++)
            {
                sockets.Add(await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/add"), _timeout));
            }

            var served = await Task.WhenAll(sockets.Select(socket => socket.AskAsync("whoami", _timeout)));
            Assert.Equal(["a", "b", "b", "b"], served.Order());
        }
        finally
        {
            await Task.WhenAll(sockets.Select(socket => socket.CloseQuietlyAsync(_timeout)));
        }

        var again = await fixture.RunAsync("backends", "add", "add", "d", "--address", c);

        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains($"error: pool 'add' already has a backend 'd' ({b}); nothing changed.", again.Error);
        Assert.Contains("wsorleans backends set add d", again.Error);
        Assert.Equal(b, (await fixture.Edge.PoolAsync("add")).Backends[1].Address);

        var set = await fixture.RunAsync("backends", "set", "add", "d", "--address", c);

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.StartsWith($"Set backend 'd' of pool 'add': {c}, weight 1, no connection cap", set.Output);
        Assert.Equal((c, 1, 0), (await fixture.Edge.PoolAsync("add")).Backends.Select(x => (x.Address, x.Weight, x.MaxConnections)).Last());
    }

    [Fact]
    public async Task BackendsRemove_WithLiveConnections_Is409WithTheDetail_ForceRemoves()
    {
        using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/remove"), _timeout);
        var busy = await socket.AskAsync("whoami", _timeout);
        var idle = busy == "a" ? "b" : "a";
        try
        {
            var refused = await fixture.RunAsync("backends", "remove", "remove", busy);

            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.StartsWith($"error: 409 Conflict: Backend '{busy}' of pool 'remove' has 1 live connection.", refused.Error);
            Assert.Contains($"'wsorleans backends remove remove {busy} --force'", refused.Error);
            Assert.Equal(["a", "b"], (await fixture.Edge.PoolAsync("remove")).Backends.Select(b => b.Id).Order());

            var removed = await fixture.RunAsync("backends", "remove", "remove", idle);

            Assert.True(removed.ExitCode == 0, removed.ToString());
            Assert.Equal($"Removed backend '{idle}' from pool 'remove'.", removed.Output.Trim());

            var forced = await fixture.RunAsync("backends", "remove", "remove", busy, "--force");

            Assert.True(forced.ExitCode == 0, forced.ToString());
            Assert.Empty((await fixture.Edge.PoolAsync("remove")).Backends);
            Assert.Equal("still open", await socket.AskAsync("still open", _timeout));
        }
        finally
        {
            await socket.CloseQuietlyAsync(_timeout);
        }
    }

    [Fact]
    public async Task BackendsDrainAndUndrain_ChangeTheAdminStateEveryClientSees()
    {
        var drained = await fixture.RunAsync("backends", "drain", "drain", "a");

        Assert.True(drained.ExitCode == 0, drained.ToString());
        Assert.Contains("Backend 'a' of pool 'drain': ", drained.Output);
        Assert.Contains(", draining, 0 live connections.", drained.Output);
        Assert.Equal("draining", (await fixture.Edge.PoolAsync("drain")).Backends.Single(b => b.Id == "a").AdminState);
        Assert.Equal("draining", (await fixture.RunAsync("status")).BackendRows("drain")["a"][4]);
        for (var i = 0; i < 2; i++)
        {
            using var socket = await WebSocketClient.ConnectAsync(fixture.Edge.WebSocketUri("/drain"), _timeout);
            Assert.Equal("b", await socket.AskAsync("whoami", _timeout));
            await socket.CloseQuietlyAsync(_timeout);
        }

        var undrained = await fixture.RunAsync("backends", "undrain", "drain", "a", "--json");

        Assert.True(undrained.ExitCode == 0, undrained.ToString());
        using var printed = JsonDocument.Parse(undrained.Output);
        Assert.Equal("active", printed.RootElement.GetProperty("adminState").GetString());
        Assert.Equal("active", (await fixture.Edge.PoolAsync("drain")).Backends.Single(b => b.Id == "a").AdminState);
    }

    [Fact]
    public async Task StrategySet_ChangesTheStrategyAndItsKey()
    {
        var hash = await fixture.RunAsync("strategy", "set", "strategy", "hash", "--hash-key", "query:room");

        Assert.True(hash.ExitCode == 0, hash.ToString());
        Assert.Equal("Pool 'strategy' now uses Hash on query:room (version 2).", hash.Output.Trim());
        Assert.Contains("strategy Hash on query:room", (await fixture.RunAsync("status")).Output);

        var sticky = await fixture.RunAsync("strategy", "set", "strategy", "Sticky", "--affinity-key", "cookie:s", "--affinity-ttl", "00:10:00");

        Assert.True(sticky.ExitCode == 0, sticky.ToString());
        Assert.Equal("Pool 'strategy' now uses Sticky on cookie:s (version 3).", sticky.Output.Trim());
        Assert.Equal("Sticky", (await fixture.Edge.PoolAsync("strategy")).Strategy);

        var unused = await fixture.RunAsync("strategy", "set", "strategy", "RoundRobin", "--hash-key", "path");

        Assert.True(unused.ExitCode == 2, unused.ToString());
        Assert.Equal("error: --hash-key is used only by the Hash strategy; RoundRobin would ignore it.", unused.Error.Trim());

        var unknown = await fixture.RunAsync("strategy", "set", "strategy", "Fastest");

        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.StartsWith("error: 400 Bad Request: strategy = 'Fastest': must be one of RoundRobin, LeastConnections, IpHash, Hash, Sticky", unknown.Error);
        Assert.Equal("Sticky", (await fixture.Edge.PoolAsync("strategy")).Strategy);

        var cookie = await fixture.RunAsync("strategy", "set", "strategy", "LeastConnections", "--affinity-cookie", "srv", "--affinity-ttl", "00:30:00");

        Assert.True(cookie.ExitCode == 0, cookie.ToString());
        Assert.Equal("Pool 'strategy' now uses LeastConnections, cookie affinity (srv) (version 4).", cookie.Output.Trim());
        Assert.Equal("srv", (await fixture.Edge.PoolAsync("strategy")).AffinityCookie);
    }

    [Fact]
    public async Task UnreachableEdge_Exits3_NamingTheUrl()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        var run = await CliRun.RunAsync(["status", "--edge", url]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.StartsWith($"error: cannot reach the edge's management listener at {url} (--edge): connection refused.", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task SilentEdge_Exits3_AfterTheTimeout()
    {
        // Takes the connection (the kernel completes the handshake) and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";

        var run = await CliRun.RunAsync(["status", "--edge", url, "--timeout", "0.5"]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.StartsWith($"error: cannot reach the edge's management listener at {url} (--edge): no answer within 0.5 s (--timeout).", run.Error);
    }

    [Fact]
    public async Task PublicListenerInsteadOfManagement_Exits3_SayingItIsNotAManagementListener()
    {
        var run = await CliRun.RunAsync(["status", "--edge", fixture.Edge.HttpBase.ToString()]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("is it an edge's management listener (WsOrleans:Management:Urls", run.Error);
    }

    [Theory]
    [InlineData(null, "error: the edge at {0} requires an API key for changes (401 Unauthorized): pass --api-key or set WSORLEANS_API_KEY to its WsOrleans:Management:ApiKey.")]
    [InlineData("wrong-key", "error: the edge at {0} refused the change (403 Forbidden): The bearer key is not this edge's WsOrleans:Management:ApiKey. The key sent came from --api-key.")]
    public async Task MissingOrWrongKey_Exits4_AndChangesNothing(string? key, string expected)
    {
        var edge = fixture.Edge.ManagementBase.GetLeftPart(UriPartial.Authority);
        string[] args = key is null ? ["backends", "drain", "refusals", "a", "--edge", edge] : ["backends", "drain", "refusals", "a", "--edge", edge, "--api-key", key];

        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Equal(string.Format(expected, edge), run.Error.Trim());
        Assert.Equal("active", (await fixture.Edge.PoolAsync("refusals")).Backends.Single(b => b.Id == "a").AdminState);
    }

    [Theory]
    [InlineData("backends drain nowhere a", "error: 404 Not Found: ", "no pool 'nowhere'")]
    [InlineData("backends undrain refusals zz", "error: 404 Not Found: ", "Pool 'refusals' has no backend 'zz'")]
    [InlineData("backends add nowhere d --address ws://127.0.0.1:1", "error: 404 Not Found: ", "no pool 'nowhere'")]
    [InlineData("backends set refusals d --address http://127.0.0.1:1", "error: 400 Bad Request: ", "address = 'http://127.0.0.1:1': must be a ws:// or wss:// address")]
    [InlineData("backends set refusals d --address ws://127.0.0.1:1 --weight 0", "error: 400 Bad Request: ", "weight = '0': must be a whole number from 1 to 10000")]
    public async Task RefusedChange_Exits1_PrintingTheProblemDetail(string command, string prefix, string detail)
    {
        var run = await fixture.RunAsync(command.Split(' '));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith(prefix, run.Error);
        Assert.Contains(detail, run.Error);
        Assert.Equal(["a", "b"], (await fixture.Edge.PoolAsync("refusals")).Backends.Select(b => b.Id));
    }

    [Theory]
    [InlineData("backends add refusals d", "error: Option '--address' is required.", "Run 'wsorleans backends add --help' for usage.")]
    [InlineData("backends add refusals d --address ws://127.0.0.1:1 --weight many", "error: --weight = 'many': must be a whole number.", "Run 'wsorleans backends add --help' for usage.")]
    [InlineData("status --edge 127.0.0.1:9901", "error: --edge = '127.0.0.1:9901': must be the http:// or https:// URL", "")]
    [InlineData("backends", "error: Required command was not provided.", "Run 'wsorleans backends --help' for usage.")]
    public async Task BadArguments_Exit2_WithAPreciseError(string command, string error, string hint)
    {
        var run = await CliRun.RunAsync(command.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith(error, run.Error);
        Assert.Contains(hint, run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task EdgeAndKeyFromTheEnvironment_AreUsed_WhenNoOptionGivesThem()
    {
        var environment = new Dictionary<string, string>
        {
            ["WSORLEANS_EDGE"] = fixture.Edge.ManagementBase.ToString(),
            ["WSORLEANS_API_KEY"] = CliFixture.ApiKey,
        };

        var drained = await CliRun.RunAsync(["backends", "drain", "refusals", "b"], environment);
        var undrained = await CliRun.RunAsync(["backends", "undrain", "refusals", "b"], environment);

        Assert.True(drained.ExitCode == 0 && undrained.ExitCode == 0, $"{drained}\n{undrained}");
        Assert.Contains("draining", drained.Output);
        Assert.Contains("active", undrained.Output);

        var wrongUrl = await CliRun.RunAsync(["status"], new Dictionary<string, string> { ["WSORLEANS_EDGE"] = "ftp://x" });

        Assert.True(wrongUrl.ExitCode == 2, wrongUrl.ToString());
        Assert.StartsWith("error: WSORLEANS_EDGE = 'ftp://x': must be the http:// or https:// URL", wrongUrl.Error);
    }

    [Fact]
    public async Task BuiltProgram_PrintsTheStatusTable_AndExits3WhenNoEdgeListens()
    {
        await using var status = ChildProcess.Start("wsorleans", "status", "--edge", fixture.Edge.ManagementBase.ToString());
        await using var unreachable = ChildProcess.Start("wsorleans", "status", "--edge", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.True(await status.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, status.Output);
        Assert.Contains("POOL status  path /status  strategy RoundRobin", status.Output);
        Assert.True(await unreachable.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 3, unreachable.Output);
        Assert.Contains("connection refused", unreachable.Output);
    }

    private static async Task<WebApplication> CannedStatusAsync(string json)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/status", () => Results.Text(json, "application/json"));
        await app.StartAsync();
        return app;
    }
}
