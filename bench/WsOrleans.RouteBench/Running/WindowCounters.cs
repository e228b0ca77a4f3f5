using System.Runtime;
using WsOrleans.RouteBench.Cluster;

namespace WsOrleans.RouteBench.Running;

/// <summary>Process- and machine-wide counters read at both ends of a measured window.</summary>
internal readonly record struct WindowCounters(
    TimeSpan Cpu,
    TimeSpan MachineBusy,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    long JitCompiled,
    long GatewayMessages)
{
    public static WindowCounters Read(GatewayTraffic gateway) => new(
        Environment.CpuUsage.TotalTime,
        MachineCpu.Busy(),
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration(),
        JitInfo.GetCompiledMethodCount(),
        gateway.Received);

    public static WindowCounters operator -(WindowCounters end, WindowCounters start) => new(
        end.Cpu - start.Cpu,
        end.MachineBusy - start.MachineBusy,
        end.AllocatedBytes - start.AllocatedBytes,
        end.Gen0 - start.Gen0,
        end.Gen1 - start.Gen1,
        end.Gen2 - start.Gen2,
        end.GcPause - start.GcPause,
        end.JitCompiled - start.JitCompiled,
        end.GatewayMessages - start.GatewayMessages);
}
