using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Routing;

public sealed class SharedReadTests
{
    [Fact]
    public async Task ReadThatCompletesBeforeItIsAwaited_TheNextCallReadsAgain()
    {
        var reads = 0;
        var shared = new SharedRead(() =>
        {
            reads++;
            return Task.CompletedTask;
        });

        await shared.RunAsync();
        await shared.RunAsync();

        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task CallsWhileAReadIsUnderWay_ShareIt_AndTheNextCallAfterItReadsAgain()
    {
        var reads = 0;
        var answer = new TaskCompletionSource();
        var shared = new SharedRead(async () =>
        {
            reads++;
            await answer.Task;
        });

        var first = shared.RunAsync();
        var second = shared.RunAsync();
        Assert.Same(first, second);
        Assert.Equal(1, reads);

        answer.SetResult();
        await first;
        answer = new TaskCompletionSource();
        var third = shared.RunAsync();

        Assert.NotSame(first, third);
        Assert.Equal(2, reads);
        answer.SetResult();
        await third;
    }

    [Fact]
    public async Task ReadThatFailed_TheNextCallReadsAgain()
    {
        var reads = 0;
        var shared = new SharedRead(() => ++reads == 1 ? Task.FromException(new TimeoutException("no answer")) : Task.CompletedTask);

        await Assert.ThrowsAsync<TimeoutException>(shared.RunAsync);
        await shared.RunAsync();

        Assert.Equal(2, reads);
    }
}
