using System.CommandLine;
using WsOrleans.Bench.Cli;
using WsOrleans.RouteBench.Cli;

// A first SIGINT/SIGTERM ends the current run early, reports it and skips the rest; a second one kills the process.
using var stop = new StopSignals();

var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await RouteBenchCommand.Create().Parse(args).InvokeAsync(invocation, stop.Token);
