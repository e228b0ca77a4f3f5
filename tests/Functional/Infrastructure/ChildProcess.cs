using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A real process of the tests: one of the built programs (WsOrleans.Edge.dll, WsOrleans.Silo.dll) or any
/// executable (node and its scripts), its output kept, its standard output also line by line.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _standardOutput = [];
    private readonly string _name;
    private StreamWriter? _log;
    private TaskCompletionSource<string>? _awaitedLine;
    private int _disposed;
    private string? _awaitedPrefix;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _log = OpenLog(name, process.Id);
        _process.OutputDataReceived += (_, e) => OnStandardOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The lines the process wrote to stdout so far.</summary>
    public IReadOnlyList<string> StandardOutputLines
    {
        get
        {
            lock (_output)
            {
                return [.. _standardOutput];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet {program}.dll {args}</c> from the test's output folder, where the referenced programs are built.</summary>
    public static ChildProcess Start(string program, params string[] args) =>
        StartExecutable(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            AppContext.BaseDirectory,
            [Path.Combine(AppContext.BaseDirectory, program + ".dll"), .. args]);

    /// <summary>Starts <paramref name="executable"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess StartExecutable(string executable, string workingDirectory, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new ChildProcess(Process.Start(info)!, $"{Path.GetFileName(executable)} {string.Join(' ', info.ArgumentList.Select(Path.GetFileName))}");
    }

    /// <summary>SIGKILL: the process dies without running any of its own code.</summary>
    public void Kill() => _process.Kill();

    /// <summary>
    /// Waits for the first stdout line that starts with <paramref name="prefix"/> (one wait at a
    /// time) and returns it; fails with the output when the process exits first or the time passes.
    /// </summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var awaited = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var seen = _standardOutput.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (seen is not null)
            {
                return seen;
            }

            _awaitedPrefix = prefix;
            _awaitedLine = awaited;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        string why;
        try
        {
            if (await Task.WhenAny(awaited.Task, exited) == awaited.Task)
            {
                return await awaited.Task;
            }

            await exited;
            why = $"it exited with {_process.ExitCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            why = $"{timeout.TotalSeconds:0.#} s passed";
        }

        // The line may have come with the exit.
        if (awaited.Task.IsCompletedSuccessfully)
        {
            return await awaited.Task;
        }

        throw new InvalidOperationException($"Expected {_name} to print a line starting with '{prefix}', but {why}; output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await WaitForExitAsync(deadline.Token);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: the process stops the way an orchestrator stops it.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGSTOP: the process freezes, as if cut off from the network; it knows nothing of the time that passes.</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public void Thaw() => Signal(SigCont);

    private void Signal(int signal)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>
    /// With <c>WSORLEANS_TEST_PROCESS_LOGS</c> set to a folder, each process's output is also written there, a file
    /// per process with the time of each line: for finding out afterwards what each silo and edge did in a long run.
    /// </summary>
    private static StreamWriter? OpenLog(string name, int pid)
    {
        var folder = Environment.GetEnvironmentVariable("WSORLEANS_TEST_PROCESS_LOGS");
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }

        Directory.CreateDirectory(folder);
        var fileName = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')]);
        return new StreamWriter(Path.Combine(folder, $"{DateTime.UtcNow:HHmmss}-{pid}-{fileName[..Math.Min(fileName.Length, 80)]}.log")) { AutoFlush = true };
    }

    private void WriteLog(string line) => _log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void OnStandardOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource<string>? matched = null;
        lock (_output)
        {
            _standardOutput.Add(line);
            _output.AppendLine(line);
            WriteLog(line);
            if (_awaitedLine is not null && line.StartsWith(_awaitedPrefix!, StringComparison.Ordinal))
            {
                matched = _awaitedLine;
                _awaitedLine = null;
            }
        }

        matched?.TrySetResult(line);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                WriteLog(line);
            }
        }
    }
}
