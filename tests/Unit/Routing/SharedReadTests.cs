using System.Diagnostics;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Routing;

public sealed class SharedReadTests
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Fact]
    public async Task ReadThatCompletesBeforeItIsAwaited_TheNextCallReadsAgain()
    {
        var reads = 0;
        var shared = new SharedRead(() =>
        {
            reads++;
            return Task.CompletedTask;
        }, Never);

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
        }, Never);

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
        var shared = new SharedRead(() => ++reads == 1 ? Task.FromException(new TimeoutException("no answer")) : Task.CompletedTask, Never);

        await Assert.ThrowsAsync<TimeoutException>(shared.RunAsync);
        await shared.RunAsync();

        Assert.Equal(2, reads);
    }

    /// <summary>A read whose answer was lost (its silo cut off) must not hold every later handshake until Orleans gives up on it.</summary>
    [Fact]
    public async Task ReadUnderWayLongerThanTheLimit_IsAbandoned_TheNextCallReadsAgain()
    {
        var answers = new List<TaskCompletionSource>();
        var shared = new SharedRead(() =>
        {
            var answer = new TaskCompletionSource();
            answers.Add(answer);
            return answer.Task;
        }, TimeSpan.Zero);

        var lost = shared.RunAsync();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() == started)
        {
            // The limit is "longer than zero": let the clock move on.
        }

        var next = shared.RunAsync();

        Assert.NotSame(lost, next);
        Assert.Equal(2, answers.Count);
        answers[1].SetResult();
        await next;
        Assert.False(lost.IsCompleted);
    }
}
