namespace WsOrleans.Cli.Management;

/// <summary>A command could not do what it was asked; <see cref="Exception.Message"/> is printed as is, then the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
