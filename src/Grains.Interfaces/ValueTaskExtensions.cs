namespace WsOrleans;

public static class ValueTaskExtensions
{
    /// <summary>
    /// Lets a one-way grain call go without awaiting it. A one-way call completes at once; should it
    /// fail to be sent, the failure is observed here so it never surfaces as an unobserved exception.
    /// </summary>
    public static void Forget(this ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            _ = Observe(task);
        }

        static async Task Observe(ValueTask task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // One-way reports are best effort; Orleans logs a message it could not send.
            }
        }
    }
}
