namespace WsOrleans.Cli;

/// <summary>The exit codes of <c>wsorleans</c>, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The edge answered and refused the request: 400, 404, 409, 503 and the like.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>No answer from a management listener: nothing listening, name not found, timeout, or not a WsOrleans edge.</summary>
    public const int Unreachable = 3;

    /// <summary>The edge wants an API key (401) or refused the one given (403).</summary>
    public const int Unauthorized = 4;

    /// <summary><c>backends drain --wait</c>: the drain's window passed and the backend still had connections.</summary>
    public const int NotDrained = 5;
}
