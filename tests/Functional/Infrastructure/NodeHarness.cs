using System.Text.Json;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// The Node.js scripts in <c>tests/Functional/node</c>: real Socket.IO and SignalR clients and a
/// Socket.IO backend. The folder is found from the repository root above the test assembly, where
/// test.sh installs its packages (<c>npm ci</c>); <c>node</c> is found on the PATH.
/// </summary>
internal static class NodeHarness
{
    private const string RelativeFolder = "tests/Functional/node";

    private static readonly Lazy<string> LazyFolder = new(LocateFolder);

    private static readonly Lazy<string> LazyNode = new(LocateNode);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The folder that holds the scripts and their node_modules.</summary>
    public static string Folder => LazyFolder.Value;

    /// <summary>The node executable.</summary>
    public static string Node => LazyNode.Value;

    /// <summary>Starts <c>node SCRIPT ARGS</c> in the harness folder.</summary>
    public static ChildProcess Start(string script, IEnumerable<string> args) =>
        ChildProcess.StartExecutable(Node, Folder, [Path.Combine(Folder, script), .. args]);

    public static Task<ClientsSummary> RunAsync(SocketIoClientRun run, CancellationToken cancellationToken) =>
        RunClientsAsync("socketio-clients.js", run.ToArguments(), cancellationToken);

    public static Task<ClientsSummary> RunAsync(SignalRClientRun run, CancellationToken cancellationToken) =>
        RunClientsAsync("signalr-clients.js", run.ToArguments(), cancellationToken);

    /// <summary>
    /// Runs a client script to its end and parses the one JSON line it prints. Fails when the script
    /// exits with anything but 0 or prints no summary; failed clients are in the summary, not thrown.
    /// </summary>
    public static async Task<ClientsSummary> RunClientsAsync(string script, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        await using var process = Start(script, args);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"node {script} did not finish in time; output so far:\n{process.Output}");
        }

        var line = process.StandardOutputLines.LastOrDefault(l => l.StartsWith('{'));
        if (exitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"node {script} exited with {exitCode} without a summary line; output:\n{process.Output}");
        }

        var summary = JsonSerializer.Deserialize<ClientsSummary>(line, Json)
            ?? throw new InvalidOperationException($"node {script} printed 'null' as its summary");
        return summary with { Raw = line };
    }

    private static string LocateFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativeFolder);
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                if (!Directory.Exists(Path.Combine(candidate, "node_modules", "socket.io"))
                    || !Directory.Exists(Path.Combine(candidate, "node_modules", "@microsoft", "signalr")))
                {
                    throw new InvalidOperationException(
                        $"{candidate}/node_modules lacks socket.io or @microsoft/signalr; run the tests with ./test.sh, which runs 'npm ci --prefix {RelativeFolder}'.");
                }

                return candidate;
            }
        }

        throw new InvalidOperationException($"No {RelativeFolder}/package.json in any folder above {AppContext.BaseDirectory}; the tests run from a build inside the repository.");
    }

    private static string LocateNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "node", "nodejs" })
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"Neither 'node' nor 'nodejs' is on the PATH ({path}); run the tests with ./test.sh, which installs Debian's nodejs package.");
    }
}
