using System.Diagnostics;

namespace WsOrleans.Bench.Reporting;

/// <summary>Human-readable progress on stderr; stdout carries only the JSON.</summary>
internal static class Progress
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static void Write(string line) =>
        Console.Error.WriteLine($"[{Stopwatch.GetElapsedTime(Started).TotalSeconds,7:F1}s] {line}");

    /// <summary>Writes <paramref name="line"/>'s text every <paramref name="period"/> until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task EveryAsync(TimeSpan period, Func<string> line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Write(line());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
