using System.Globalization;

namespace WsOrleans.Bench.Metrics;

/// <summary>
/// The CPU time (user and kernel, all threads) other processes have used so far, from <c>/proc/PID/stat</c>: what a
/// proxy spends per message or handshake, a steadier number than a rate on a shared machine.
/// </summary>
internal sealed class ProcessCpu(IReadOnlyList<int> processIds)
{
    // /proc counts in USER_HZ, which Linux fixes at 100 for every architecture it exposes it on.
    private const double TicksPerSecond = 100;

    public bool IsEmpty => processIds.Count == 0;

    /// <summary>The sum over the processes; one that has gone (or was never there) counts nothing.</summary>
    public TimeSpan Read()
    {
        long ticks = 0;
        foreach (var id in processIds)
        {
            ticks += ReadTicks(id);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long ReadTicks(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        // The command name, in parentheses, may hold spaces: count fields after it. utime and stime are fields 14 and
        // 15 of proc(5), the 12th and 13th after the name.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
