using System.Runtime.InteropServices;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Cli;

/// <summary>
/// A first SIGINT/SIGTERM cancels <see cref="Token"/> (the run ends early and still reports); a second
/// one kills the process.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public StopSignals()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = !_stop.IsCancellationRequested;
        if (context.Cancel)
        {
            Progress.Write($"{context.Signal}: stopping and reporting; send it again to exit at once");
        }

        _stop.Cancel();
    }
}
