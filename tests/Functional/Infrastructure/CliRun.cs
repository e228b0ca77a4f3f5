using WsOrleans.Cli;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>One run of the <c>wsorleans</c> entry point in-process: its exit code and what it printed on each stream.</summary>
internal sealed record class CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <paramref name="args"/> with <paramref name="environment"/> as the only environment variables (none by default).</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, name => environment?.GetValueOrDefault(name));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The cells of each backend row in the block of <paramref name="pool"/> of the <c>status</c> table, by backend id.</summary>
    public IReadOnlyDictionary<string, string[]> BackendRows(string pool)
    {
        var lines = Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.StartsWith($"POOL {pool} ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no block for pool '{pool}' in:\n{Output}");
        return lines.Skip(start + 2)
            .TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(cells => cells[0]);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
