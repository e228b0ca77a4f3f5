namespace WsOrleans.Bench.Scenarios;

/// <summary>
/// Tells when stdin reaches end of file, so a driving script can end a hold by closing the pipe. Only a pipe, a
/// socket or a terminal is watched: a background job's stdin is /dev/null, which would end the hold at once.
/// </summary>
internal static class StdinWatcher
{
    /// <summary>Whether stdin is something whose closing means "stop" (a pipe, a socket or a terminal).</summary>
    public static bool IsWatchable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var target = new FileInfo("/proc/self/fd/0").LinkTarget;
            return target is not null
                && (target.StartsWith("pipe:", StringComparison.Ordinal)
                    || target.StartsWith("socket:", StringComparison.Ordinal)
                    || target.StartsWith("/dev/pts/", StringComparison.Ordinal)
                    || target.StartsWith("/dev/tty", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Completes at end of file on stdin; reads and discards whatever comes before it.</summary>
    public static Task WhenClosedAsync()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A blocking read on its own thread: a thread-pool thread parked on stdin for minutes would be a waste
        // on two cores.
        var thread = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            closed.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        thread.Start();
        return closed.Task;
    }
}
