using System.CommandLine;

namespace WsOrleans.Bench.Cli;

/// <summary><c>--cpu-of</c>: processes whose CPU time in the measured window is reported as <c>targetCpuSeconds</c>.</summary>
internal static class CpuOfOption
{
    public static Option<int[]> Create() => new("--cpu-of")
    {
        Description = "Process ids, separated by commas (a proxy's, its workers'), whose CPU time in the measured window is reported.",
        DefaultValueFactory = _ => [],
        CustomParser = ValueParsers.ProcessIds,
        HelpName = "pids",
    };
}
