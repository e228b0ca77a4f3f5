using System.Diagnostics;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;

namespace WsOrleans.Bench.Scenarios;

/// <summary>One closed loop of whole WebSocket lifetimes: connect, optionally echo once, close cleanly.</summary>
internal sealed class HandshakeWorker(
    ConnectionOpener opener,
    ReadOnlyMemory<byte>? payload,
    TimeSpan stepTimeout,
    RunClock clock,
    LatencyRecorder handshakes,
    LatencyRecorder cycles,
    ErrorCounter errors)
{
    /// <summary>After a failure, so a refusing server does not turn the loop into a busy spin.</summary>
    private static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(10);

    private long _cycles;
    private long _measuredCycles;

    /// <summary>Cycles completed so far, warm-up included; safe to read while running.</summary>
    public long Cycles => Volatile.Read(ref _cycles);

    /// <summary>Cycles that ended inside the measured window; read it once the loop has ended.</summary>
    public long MeasuredCycles => _measuredCycles;

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (Stopwatch.GetTimestamp() < clock.End)
        {
            var attempt = await opener.TryConnectAsync(stop);
            if (attempt.Connection is not { } connection)
            {
                await PauseAfterFailureAsync(stop);
                continue;
            }

            try
            {
                if (payload is { } message)
                {
                    using var deadline = new CancellationTokenSource(stepTimeout);
                    await connection.SendBinaryAsync(message, deadline.Token);
                    var length = await connection.ReceiveMessageAsync(deadline.Token);
                    if (length != message.Length)
                    {
                        errors.Add(ErrorKinds.SizeMismatch, $"Sent {message.Length} bytes, got {length} back.");
                    }
                }

                await connection.CloseAsync(stepTimeout);
            }
            catch (Exception exception)
            {
                errors.Add(exception);
                connection.Abort();
                await PauseAfterFailureAsync(stop);
                continue;
            }

            var closed = Stopwatch.GetTimestamp();
            if (clock.IsMeasured(closed))
            {
                handshakes.Record(attempt.Started, attempt.Completed);
                cycles.Record(attempt.Started, closed);
                _measuredCycles++;
            }

            Volatile.Write(ref _cycles, _cycles + 1);
        }
    }

    private static async Task PauseAfterFailureAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(FailurePause, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
