using System.Diagnostics.Metrics;

namespace WsOrleans.RouteBench.Cluster;

/// <summary>
/// Counts the messages the silo's gateway receives from clients (Orleans' <c>orleans-gateway-received</c>
/// instrument). In loopback mode every call must show up here, which proves it crossed the client's TCP
/// connection; in co-hosted mode nothing should.
/// </summary>
internal sealed class GatewayTraffic : IDisposable
{
    private const string MeterName = "Microsoft.Orleans";
    private const string ReceivedInstrument = "orleans-gateway-received";

    private readonly MeterListener _listener = new();
    private long _received;

    public GatewayTraffic()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == ReceivedInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref _received, value));
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _received, value));
        _listener.Start();
    }

    /// <summary>Messages received by any gateway in this process so far.</summary>
    public long Received
    {
        get
        {
            _listener.RecordObservableInstruments();
            return Interlocked.Read(ref _received);
        }
    }

    public void Dispose() => _listener.Dispose();
}
