using WsOrleans.Edge.Tunneling.EventLoop;

namespace WsOrleans.Tests.Unit.Tunneling;

/// <summary>The loop's thread runs everything posted to it, whoever posts and whenever.</summary>
public sealed class EventLoopTests : IDisposable
{
    private readonly EventLoop _loop = new(0);

    [Fact]
    public async Task WorkPostedFromManyThreadsWhileTheLoopRunsOtherWork_AllRuns()
    {
        // A post racing with the loop's draining of earlier posts (which posts more, as a tunnel's end does) must
        // still wake the loop: one lost wake-up leaves a tunnel that never starts, and its client waits forever.
        const int PostsPerThread = 20_000;
        var posters = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < PostsPerThread; i++)
            {
                var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _loop.Post(() => _loop.Post(ran.SetResult));
                await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }));

        await Task.WhenAll(posters);
    }

    public void Dispose() => _loop.Dispose();
}
