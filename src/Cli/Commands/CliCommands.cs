using System.CommandLine;

namespace WsOrleans.Cli.Commands;

/// <summary>The command tree: <c>status</c>, <c>backends add|set|remove|drain|undrain</c>, <c>strategy set</c>, <c>pools rebalance</c>.</summary>
internal static class CliCommands
{
    public const string Name = "wsorleans";

    public static RootCommand CreateRoot(CliContext context)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Drive a WsOrleans cluster through any edge's management listener: see its status, change backends and strategies.")
        {
            StatusCommand.Create(context, global),
            BackendsCommand.Create(context, global),
            StrategyCommand.Create(context, global),
            PoolsCommand.Create(context, global),
        };
        global.AddTo(root);
        return root;
    }
}
