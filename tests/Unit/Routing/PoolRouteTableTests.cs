using WsOrleans.Edge.Routing;
using WsOrleans.Pools;

namespace WsOrleans.Tests.Unit.Routing;

/// <summary>A pool's path is a prefix, as an nginx <c>location</c>: whole segments only, and the longest wins.</summary>
public sealed class PoolRouteTableTests
{
    private readonly PoolRouteTable _table = new();

    public PoolRouteTableTests() =>
        _table.Replace([Route("root", "/"), Route("ws", "/ws"), Route("rooms", "/ws/rooms"), Route("chat", "/chat")]);

    [Theory]
    [InlineData("/ws", "ws")]
    [InlineData("/ws/", "ws")]
    [InlineData("/ws/lobby", "ws")]
    [InlineData("/ws/rooms", "rooms")]
    [InlineData("/ws/rooms/7", "rooms")]
    [InlineData("/ws/roomsx", "ws")]
    [InlineData("/wsx", "root")]
    [InlineData("/chat/negotiate", "chat")]
    [InlineData("/", "root")]
    public void Match_TakesTheLongestPrefixOfWholeSegments(string path, string pool)
    {
        Assert.Equal(pool, _table.Match(path)?.Name);
    }

    [Fact]
    public void Match_WithoutACatchAllPool_LeavesOtherPathsUnmatched()
    {
        _table.Replace([Route("ws", "/ws")]);

        Assert.Null(_table.Match("/wsx"));
        Assert.Null(_table.Match("/"));
    }

    private static PoolRoute Route(string name, string path) => new(name, path, Key: null, Version: 1);
}
