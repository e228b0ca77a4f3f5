using System.Collections.Concurrent;
using static WsOrleans.Edge.Tunneling.EventLoop.LinuxSockets;

namespace WsOrleans.Edge.Tunneling.EventLoop;

/// <summary>
/// One thread waiting in epoll for the sockets of the tunnels it carries, and one read buffer it lends to each of
/// them in turn. Everything about a tunnel's sockets happens on this thread; other threads post work to it
/// (<see cref="Post"/>), which an eventfd wakes it for. Interest is level-triggered: a socket is asked for reads
/// only while its peer can take them, and for writability only while something waits to be written to it.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly List<LoopTunnel?> _slots = [];
    private readonly Stack<int> _freeSlots = new();

    // Posting and closing take it: once the descriptors are closed their numbers are reused, so nothing may write
    // to the eventfd after that; work posted then runs at once, with the epoll calls skipped.
    private readonly object _gate = new();
    private int _wakePending;
    private volatile bool _stopping;
    private bool _closed;

    public EventLoop(int index)
    {
        _epoll = Check(EpollCreate(CloseOnExec), "epoll_create1");
        _wake = Check(EventFd(0, CloseOnExec | NonBlocking), "eventfd");
        var wake = new EpollEvent { Events = EpollIn, Data = WakeToken };
        Check(EpollCtl(_epoll, EpollCtlAdd, _wake, &wake), "epoll_ctl");

        // Pinned, so recv and send take its address without fixing it on every call.
        Buffer = GC.AllocateUninitializedArray<byte>(64 * 1024, pinned: true);
        _thread = new Thread(Run) { IsBackground = true, Name = $"WsOrleans tunnel loop {index}" };
        _thread.Start();
    }

    /// <summary>The loop's read buffer: every read on this loop lands here and is written on before the next one.</summary>
    public byte[] Buffer { get; }

    /// <summary><see cref="Environment.TickCount64"/> when the loop last woke up: a tunnel's last activity, without a clock read per read.</summary>
    public long Now { get; private set; } = Environment.TickCount64;

    /// <summary>The epoll set's descriptor, so the loop's own sockets are told apart from .NET's.</summary>
    public int EpollDescriptor => _epoll;

    /// <summary>Runs <paramref name="work"/> on the loop's thread, soon.</summary>
    public void Post(Action work)
    {
        lock (_gate)
        {
            if (_closed)
            {
                work();
                return;
            }

            _posted.Enqueue(work);
            if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            {
                ulong one = 1;
                _ = LinuxSockets.Write(_wake, (byte*)&one, sizeof(ulong));
            }
        }
    }

    /// <summary>Gives <paramref name="tunnel"/> a slot; the token it registers its sockets with names the slot and the side.</summary>
    public int Add(LoopTunnel tunnel)
    {
        if (_freeSlots.TryPop(out var slot))
        {
            _slots[slot] = tunnel;
            return slot;
        }

        _slots.Add(tunnel);
        return _slots.Count - 1;
    }

    public void Remove(int slot)
    {
        _slots[slot] = null;
        _freeSlots.Push(slot);
    }

    /// <summary>Adds, changes (or with 0, removes) <paramref name="fd"/>'s interest; false when the socket is gone.</summary>
    public bool Watch(int fd, uint current, uint wanted, ulong token)
    {
        if (_closed)
        {
            return true;
        }

        var change = new EpollEvent { Events = wanted, Data = token };
        var operation = current == uint.MaxValue ? EpollCtlAdd : wanted == uint.MaxValue ? EpollCtlDel : EpollCtlMod;
        return EpollCtl(_epoll, operation, fd, &change) == 0;
    }

    /// <summary>Stops the loop; tunnels still on it end (their sockets are released by their owners).</summary>
    public void Dispose()
    {
        _stopping = true;
        Post(static () => { });
        _thread.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            _closed = true;
            while (_posted.TryDequeue(out var work))
            {
                work();
            }

            foreach (var tunnel in _slots.ToList())
            {
                tunnel?.Fault(new ObjectDisposedException(nameof(EventLoop)));
            }

            _ = Close(_wake);
            _ = Close(_epoll);
        }
    }

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        while (!_stopping)
        {
            var ready = EpollWait(_epoll, events, MaxEvents, -1);
            Now = Environment.TickCount64;
            if (ready < 0)
            {
                if (Errno == EIntr)
                {
                    continue;
                }

                throw new InvalidOperationException($"epoll_wait failed with errno {Errno}");
            }

            for (var i = 0; i < ready; i++)
            {
                var token = events[i].Data;
                if (token == WakeToken)
                {
                    RunPosted();
                }
                else if (_slots[(int)(token >> 1)] is { } tunnel)
                {
                    try
                    {
                        tunnel.OnReady(client: (token & 1) == 0, events[i].Events);
                    }
                    catch (Exception e)
                    {
                        // A fault in one tunnel ends that tunnel, never the loop that carries the others.
                        tunnel.Fault(e);
                    }
                }
            }
        }
    }

    private void RunPosted()
    {
        ulong count;
        _ = LinuxSockets.Read(_wake, (byte*)&count, sizeof(ulong));

        // A full fence, not a release store: the queue must be read after the flag is seen cleared, or a post made in
        // between finds the flag still set, skips the wake-up, and waits in the queue while the loop sleeps.
        Interlocked.Exchange(ref _wakePending, 0);
        while (_posted.TryDequeue(out var work))
        {
            work();
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"{call} failed with errno {Errno}");
}
