using System.CommandLine;
using System.Runtime.InteropServices;
using WsOrleans.Bench.Cli;
using WsOrleans.Bench.Reporting;

// Run socket continuations on the epoll threads instead of hopping to the thread pool: about 20% less client CPU
// per round trip and no allocation per message (see README.md). Must be set before the first socket is created;
// an explicit DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 in the environment wins.
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

// A first SIGINT/SIGTERM ends the run early and still reports; a second one kills the process.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = !stop.IsCancellationRequested;
    if (context.Cancel)
    {
        Progress.Write($"{context.Signal}: stopping and reporting; send it again to exit at once");
    }

    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

// Signals are handled above, so the scenarios can close their connections and report however long that takes.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await BenchCommands.CreateRoot().Parse(args).InvokeAsync(invocation, stop.Token);

internal static partial class Program
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
