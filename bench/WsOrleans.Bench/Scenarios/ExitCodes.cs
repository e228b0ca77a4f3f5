namespace WsOrleans.Bench.Scenarios;

/// <summary>The process exit codes. System.CommandLine itself exits with 1 on a usage error.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed and reported; errors, if any, are in the JSON.</summary>
    public const int Success = 0;

    /// <summary>The run could not start (for example the host does not resolve); the JSON has only <c>error</c>.</summary>
    public const int SetupFailed = 2;

    /// <summary>The run completed, but not one connection (echo, hold) or handshake cycle succeeded.</summary>
    public const int NothingSucceeded = 3;
}
