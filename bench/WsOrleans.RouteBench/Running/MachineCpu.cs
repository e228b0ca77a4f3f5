using System.Globalization;

namespace WsOrleans.RouteBench.Running;

/// <summary>
/// CPU time the whole machine spent busy (and, on a VM, had stolen), from <c>/proc/stat</c>. Compared with
/// this process's own CPU time it says how much of the cores other processes took during a run: on a shared
/// box that is the first thing to check before believing a number.
/// </summary>
internal static class MachineCpu
{
    // USER_HZ; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Busy plus stolen CPU time of all cores since boot, or zero where /proc/stat cannot be read.</summary>
    public static TimeSpan Busy()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 9 || fields[0] != "cpu")
            {
                return TimeSpan.Zero;
            }

            // cpu user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
            long busy = 0;
            foreach (var index in (int[])[1, 2, 3, 6, 7, 8])
            {
                busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(busy / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }
}
