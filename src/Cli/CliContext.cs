namespace WsOrleans.Cli;

/// <summary>What a command reads and writes besides its arguments: the two output streams and the environment.</summary>
internal sealed record class CliContext(TextWriter Output, TextWriter Error, Func<string, string?> Environment);
