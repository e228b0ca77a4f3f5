using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using WsOrleans.Logging;

namespace WsOrleans.Hosting.Cluster;

/// <summary>
/// What a silo does when Orleans cannot let it go on (the cluster declared it dead while it was cut off, or
/// another fatal runtime error): one clear line, then exit with <see cref="ExitCode"/> at once, for a
/// supervisor (systemd <c>Restart=always</c>, Kubernetes) to start it again as a new silo. Orleans' own
/// handler fails fast instead, which looks like a crash (abort signal, exit code 134) and may write a dump.
/// </summary>
internal sealed partial class SupervisedExit(ILogger<SupervisedExit> logger) : Orleans.Runtime.IFatalErrorHandler
{
    /// <summary>The exit code (EX_TEMPFAIL of sysexits.h): the process should be started again.</summary>
    public const int ExitCode = 75;

    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        var why = exception?.Message ?? context ?? "a fatal runtime error";
        Log.Exiting(logger, why, ExitCode);

        // The console logger writes from a queue: say it on stderr directly, then leave without running
        // shutdown handlers, which could wait on a runtime that has already given up.
        Console.Error.WriteLine($"wsorleans: the silo cannot go on ({why}); exiting with code {ExitCode} so that its supervisor starts it again");
        Console.Error.Flush();
        Exit(ExitCode);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Hosting.SupervisedExit, Level = LogLevel.Critical, Message = "The silo cannot go on ({Reason}); exiting with code {ExitCode} so that its supervisor starts it again")]
        public static partial void Exiting(ILogger logger, string reason, int exitCode);
    }
}
