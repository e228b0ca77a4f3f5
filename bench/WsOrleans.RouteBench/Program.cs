using System.CommandLine;
using System.Runtime.InteropServices;
using WsOrleans.Bench.Reporting;
using WsOrleans.RouteBench.Cli;

// A first SIGINT/SIGTERM ends the current run early, reports it and skips the rest; a second one kills the process.
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

var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await RouteBenchCommand.Create().Parse(args).InvokeAsync(invocation, stop.Token);
