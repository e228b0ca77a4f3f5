using System.CommandLine;
using WsOrleans.Bench.Cli;

// Run socket continuations on the epoll threads instead of hopping to the thread pool: about 20% less client CPU
// per round trip and no allocation per message (see README.md). Must be set before the first socket is created;
// an explicit DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 in the environment wins.
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

using var stop = new StopSignals();

// Signals are handled above, so the scenarios can close their connections and report however long that takes.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await BenchCommands.CreateRoot().Parse(args).InvokeAsync(invocation, stop.Token);

internal static partial class Program
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
