namespace WsOrleans.Tests;

/// <summary>Waits for a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result; fails with
    /// <paramref name="expected"/> and the last value seen when the deadline passes.
    /// </summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string expected, TimeSpan? timeout = null) =>
        Until(probe, done, () => expected, timeout);

    /// <summary>
    /// As the other overload, with the expectation described when the deadline passes, not before the
    /// wait (for what a process printed meanwhile).
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, Func<string> expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {expected()} within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s; last seen: {Describe(value)}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
