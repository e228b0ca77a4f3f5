namespace WsOrleans.Edge.Tunneling;

/// <summary>One end of a tunnel: a raw socket, or a stream the HTTP server gave for an upgraded request.</summary>
internal interface ITunnelSide : IDisposable
{
    /// <summary>Completes when data can be read, without taking a buffer (a zero-byte read; its count means nothing).</summary>
    ValueTask<int> WaitForDataAsync();

    /// <summary>Reads what is there into <paramref name="buffer"/>; 0 means this side finished sending.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data);

    /// <summary>Tells this side that nothing more will be written to it (a FIN), leaving reads open.</summary>
    void EndWrites();

    /// <summary>Closes this side: pending reads end (as if the peer had finished), writes fail. Dispose when both directions are done.</summary>
    void Close();
}
