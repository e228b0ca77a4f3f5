using System.Diagnostics;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Metrics;

namespace WsOrleans.Bench.Scenarios;

/// <summary>
/// One connection's closed loop: send, wait for the echo, record the round trip, repeat until the clock ends.
/// Allocates nothing per message.
/// </summary>
internal sealed class EchoWorker(IWebSocketConnection connection, ReadOnlyMemory<byte> payload, RunClock clock, LatencyRecorder roundTrips, ErrorCounter errors)
{
    private long _messages;
    private long _measuredMessages;
    private volatile bool _abandoned;

    public IWebSocketConnection Connection { get; } = connection;

    /// <summary>Round trips completed so far, warm-up included; safe to read while running.</summary>
    public long Messages => Volatile.Read(ref _messages);

    /// <summary>Round trips completed inside the measured window; read it once the loop has ended.</summary>
    public long MeasuredMessages => _measuredMessages;

    /// <summary>Whether the connection broke (and was counted as an error) or was abandoned.</summary>
    public bool Failed { get; private set; }

    public async Task RunAsync()
    {
        // Let the starter launch every loop before any of them runs its first round trip inline.
        await Task.Yield();
        try
        {
            while (true)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= clock.End)
                {
                    return;
                }

                await Connection.SendBinaryAsync(payload, CancellationToken.None);
                var length = await Connection.ReceiveMessageAsync(CancellationToken.None);
                var received = Stopwatch.GetTimestamp();
                if (length != payload.Length)
                {
                    errors.Add(ErrorKinds.SizeMismatch, $"Sent {payload.Length} bytes, got {length} back.");
                }

                if (clock.IsMeasured(received))
                {
                    roundTrips.Record(sent, received);
                    _measuredMessages++;
                }

                Volatile.Write(ref _messages, _messages + 1);
            }
        }
        catch (Exception exception)
        {
            Failed = true;
            if (!_abandoned)
            {
                errors.Add(exception);
            }
        }
    }

    /// <summary>Gives up on a loop still waiting for its echo after the run: drops the connection.</summary>
    public void Abandon()
    {
        _abandoned = true;
        Failed = true;
        Connection.Abort();
    }
}
