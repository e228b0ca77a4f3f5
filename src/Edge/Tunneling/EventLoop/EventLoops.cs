using System.Net.Sockets;
using static WsOrleans.Edge.Tunneling.EventLoop.LinuxSockets;

namespace WsOrleans.Edge.Tunneling.EventLoop;

/// <summary>
/// One <see cref="EventLoop"/> per core, started on the first tunnel; tunnels are spread over them in turn.
/// A socket .NET has used is also in .NET's own epoll set (edge-triggered), which would wake .NET's socket thread for
/// every message the loop already handles: a tunnel's sockets are taken out of .NET's sets. .NET's sets are the epoll
/// descriptors the process has that no loop made (.NET opens them with its first socket and never closes them);
/// loops are made and the descriptors listed under one lock, so a loop of another edge in the same process (tests
/// run several) is never taken for one of .NET's.
/// </summary>
internal sealed unsafe class EventLoops : IDisposable
{
    private static readonly Lock Creating = new();
    private static readonly HashSet<int> LoopSets = [];
    private static int[]? _dotnetSets;

    private readonly Lazy<EventLoop[]> _loops = new(Start);
    private int _next;

    public EventLoop Next()
    {
        var loops = _loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref _next) % loops.Length)];
    }

    /// <summary>
    /// Takes a tunnel's two sockets over from .NET (<see cref="DescriptorTakeover"/>), the loops started first: .NET's
    /// epoll sets are listed when they start, and the sockets must leave them.
    /// </summary>
    public bool TryTakeOver(Socket client, Socket backend, out int clientFd, out int backendFd)
    {
        _ = _loops.Value;
        return DescriptorTakeover.TryTake(client, backend, out clientFd, out backendFd);
    }

    /// <summary>Stops .NET's socket thread from being woken for <paramref name="fd"/>: the loop alone waits on it now.</summary>
    public static void TakeFromDotnet(int fd)
    {
        // A socket is in one of .NET's sets (one per socket engine): once it has left one, it is out.
        foreach (var set in _dotnetSets ?? [])
        {
            if (EpollCtl(set, EpollCtlDel, fd, null) == 0)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        if (_loops.IsValueCreated)
        {
            foreach (var loop in _loops.Value)
            {
                lock (Creating)
                {
                    loop.Dispose();
                    LoopSets.Remove(loop.EpollDescriptor);
                }
            }
        }
    }

    private static EventLoop[] Start()
    {
        lock (Creating)
        {
            _dotnetSets ??= DotnetSets();
            var loops = new EventLoop[Environment.ProcessorCount];
            for (var i = 0; i < loops.Length; i++)
            {
                loops[i] = new EventLoop(i);
                LoopSets.Add(loops[i].EpollDescriptor);
            }

            return loops;
        }
    }

    /// <summary>The epoll descriptors open in this process that no loop made: .NET's socket engines' (the edge has accepted by now).</summary>
    private static int[] DotnetSets()
    {
        var sets = new List<int>();
        foreach (var entry in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            try
            {
                if (entry.LinkTarget == "anon_inode:[eventpoll]" && int.TryParse(entry.Name, out var fd) && !LoopSets.Contains(fd))
                {
                    sets.Add(fd);
                }
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }

        return [.. sets];
    }
}
