using System.Net;
using System.Text;
using WsOrleans.Edge.BackendClient;

namespace WsOrleans.Tests.Unit.BackendClient;

/// <summary>Reading a backend's answer to a forwarded handshake, from bytes as they arrive in reads of any size.</summary>
public sealed class BackendAnswerTests
{
    [Fact]
    public async Task Head_101WithFrameBytesBehindIt_KeepsThoseBytes()
    {
        var (head, _) = await ReadAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\n\r\n\x81\x02hi", chunk: 1000);

        Assert.Equal((HttpStatusCode.SwitchingProtocols, "Switching Protocols"), (head.Status, head.Reason));
        Assert.Equal(["Upgrade", "Connection", "Sec-WebSocket-Accept"], head.Headers.Select(h => h.Key));
        Assert.Equal("abc=", head["sec-websocket-accept"]);
        Assert.Equal("\x81\x02hi", Encoding.Latin1.GetString(head.After.Span));
    }

    [Theory]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\noops!", "oops!")]
    [InlineData("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nnot\r\n4;ext=1\r\n now\r\n0\r\nX-Trailer: t\r\n\r\n", "not now")]
    [InlineData("HTTP/1.0 404 Not Found\r\n\r\nuntil the connection closes", "until the connection closes")]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "")]
    public async Task Refusal_BodyIsReadWhole_WhateverItsFraming(string answer, string body)
    {
        foreach (var chunk in new[] { 1, 3, 1000 })
        {
            var (head, receive) = await ReadAsync(answer, chunk);

            Assert.Equal(body, Encoding.Latin1.GetString(await ResponseBody.ReadAsync(head, receive, CancellationToken.None)));
        }
    }

    [Theory]
    [InlineData("HTTP/2 101\r\n\r\n")]
    [InlineData("HTTP/1.1 1x1 Huh\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\nno colon here\r\n\r\n")]
    [InlineData("garbage\r\n\r\n")]
    public async Task Head_Malformed_IsRefusedWithTheLineQuoted(string answer)
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(answer, 1000));

        Assert.Contains("malformed", error.Message);
    }

    [Fact]
    public async Task Head_ConnectionClosedBeforeTheBlankLine_SaysSo()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync("HTTP/1.1 101 Switching", 1000));

        Assert.Contains("closed the connection before it answered", error.Message);
    }

    [Fact]
    public async Task Head_LargerThanTheLimit_IsRefused()
    {
        var huge = "HTTP/1.1 101 OK\r\n" + string.Concat(Enumerable.Repeat("X-Padding: " + new string('x', 1000) + "\r\n", 70)) + "\r\n";

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(huge, 4096));

        Assert.Contains("larger than 64 KB", error.Message);
    }

    [Fact]
    public async Task Refusal_LargerThanTheLimit_IsRefused()
    {
        var (head, receive) = await ReadAsync("HTTP/1.1 500 Error\r\nContent-Length: 100000\r\n\r\n", 1000);

        await Assert.ThrowsAsync<HttpRequestException>(() => ResponseBody.ReadAsync(head, receive, CancellationToken.None));
    }

    /// <summary>Serves <paramref name="answer"/> in reads of at most <paramref name="chunk"/> bytes.</summary>
    private static async Task<(ResponseHead Head, Func<Memory<byte>, ValueTask<int>> Receive)> ReadAsync(string answer, int chunk)
    {
        var bytes = Encoding.Latin1.GetBytes(answer);
        var position = 0;
        ValueTask<int> Receive(Memory<byte> buffer)
        {
            var count = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - position);
            bytes.AsSpan(position, count).CopyTo(buffer.Span);
            position += count;
            return ValueTask.FromResult(count);
        }

        return (await ResponseHead.ReadAsync(Receive, CancellationToken.None), Receive);
    }
}
