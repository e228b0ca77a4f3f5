using System.Diagnostics;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// Several hosts on one machine: a Linux network namespace each, joined by two bridges, the cluster network
/// (198.18.0.0/24: Redis, silos, edges) and the public one (198.18.1.0/24: edges, backends), addresses from
/// the benchmarking range. The test process joins both networks at .254, as the clients and the operator.
/// A host is cut off from a network by taking its link on that bridge down, and healed by bringing it up;
/// <c>nft</c> rules in a host drop its traffic with one address only. Needs root (CI runs as root).
/// </summary>
internal sealed class NetworkBed : IAsyncDisposable
{
    public const string ClusterPrefix = "198.18.0.";
    public const string PublicPrefix = "198.18.1.";

    private static int _beds;

    private readonly string _prefix;
    private readonly string _bridges;
    private readonly List<string> _namespaces = [];
    private readonly List<ChildProcess> _processes = [];
    private int _links;

    private NetworkBed(string prefix)
    {
        _prefix = prefix;
        _bridges = $"{prefix}br";
    }


    public static async Task<NetworkBed> CreateAsync()
    {
        // Short names: interface names may have 15 characters.
        var bed = new NetworkBed($"w{Environment.ProcessId % 10_000}{Interlocked.Increment(ref _beds)}");
        try
        {
            await bed.NamespaceAsync(bed._bridges);
            await Ip("-n", bed._bridges, "link", "add", "br0", "type", "bridge");
            await Ip("-n", bed._bridges, "link", "add", "br1", "type", "bridge");
            await Ip("-n", bed._bridges, "link", "set", "br0", "up");
            await Ip("-n", bed._bridges, "link", "set", "br1", "up");
            await bed.LinkAsync(null, "br0", ClusterPrefix + "254");
            await bed.LinkAsync(null, "br1", PublicPrefix + "254");
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a host with an address on the cluster network, the public one, or both (the last byte of each).</summary>
    public async Task<NetworkHost> AddHostAsync(string name, int? cluster, int? @public)
    {
        var host = new NetworkHost($"{_prefix}{name}");
        await NamespaceAsync(host.Namespace);
        await Ip("-n", host.Namespace, "link", "set", "lo", "up");
        if (cluster is { } c)
        {
            host.ClusterLink = await LinkAsync(host.Namespace, "br0", ClusterPrefix + c);
            host.ClusterAddress = ClusterPrefix + c;
        }

        if (@public is { } p)
        {
            host.PublicLink = await LinkAsync(host.Namespace, "br1", PublicPrefix + p);
            host.PublicAddress = PublicPrefix + p;
        }

        return host;
    }

    /// <summary>Cuts <paramref name="host"/> off the cluster network (or the public one).</summary>
    public Task CutAsync(NetworkHost host, bool cluster = true) =>
        Ip("-n", _bridges, "link", "set", cluster ? host.ClusterLink! : host.PublicLink!, "down");

    public Task HealAsync(NetworkHost host, bool cluster = true) =>
        Ip("-n", _bridges, "link", "set", cluster ? host.ClusterLink! : host.PublicLink!, "up");

    /// <summary>Drops everything between <paramref name="host"/> and <paramref name="address"/>, both ways (nftables in the host).</summary>
    public async Task BlockAsync(NetworkHost host, string address)
    {
        await Ip("netns", "exec", host.Namespace, "nft", "add", "table", "inet", "cut");
        await Ip("netns", "exec", host.Namespace, "nft", "add", "chain", "inet", "cut", "in", "{ type filter hook input priority 0 ; }");
        await Ip("netns", "exec", host.Namespace, "nft", "add", "chain", "inet", "cut", "out", "{ type filter hook output priority 0 ; }");
        await Ip("netns", "exec", host.Namespace, "nft", "add", "rule", "inet", "cut", "in", "ip", "saddr", address, "drop");
        await Ip("netns", "exec", host.Namespace, "nft", "add", "rule", "inet", "cut", "out", "ip", "daddr", address, "drop");
    }

    public Task UnblockAsync(NetworkHost host) => Ip("netns", "exec", host.Namespace, "nft", "delete", "table", "inet", "cut");

    /// <summary>Runs <paramref name="program"/> (a built program of the tests, e.g. WsOrleans.Silo, or an executable) on <paramref name="host"/>.</summary>
    public ChildProcess Start(NetworkHost host, string program, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, program + ".dll");
        var process = File.Exists(dll)
            ? ChildProcess.StartExecutable("ip", AppContext.BaseDirectory, ["netns", "exec", host.Namespace, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", dll, .. args])
            : ChildProcess.StartExecutable("ip", AppContext.BaseDirectory, ["netns", "exec", host.Namespace, program, .. args]);
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            await Run("ip", "netns", "delete", name);
        }

        await Run("ip", "link", "delete", $"{_prefix}r0");
        await Run("ip", "link", "delete", $"{_prefix}r1");
    }

    private async Task NamespaceAsync(string name)
    {
        await Run("ip", "netns", "delete", name); // left by a run that was killed
        await Ip("netns", "add", name);
        _namespaces.Add(name);
    }

    /// <summary>A veth from <paramref name="host"/> (null: this process's namespace) to a bridge; returns the bridge side's name.</summary>
    private async Task<string> LinkAsync(string? host, string bridge, string address)
    {
        var number = Interlocked.Increment(ref _links);
        var outer = $"{_prefix}l{number}";
        var inner = host is null ? $"{_prefix}{(bridge == "br0" ? "r0" : "r1")}" : $"eth{(bridge == "br0" ? 0 : 1)}";
        if (host is null)
        {
            await Run("ip", "link", "delete", inner); // left by a run that was killed
            await Ip("link", "add", inner, "type", "veth", "peer", "name", outer);
        }
        else
        {
            await Ip("link", "add", outer, "type", "veth", "peer", "name", inner, "netns", host);
        }

        await Ip("link", "set", outer, "netns", _bridges);
        await Ip("-n", _bridges, "link", "set", outer, "master", bridge, "up");
        var scope = host is null ? [] : new[] { "-n", host };
        await Ip([.. scope, "addr", "add", $"{address}/24", "dev", inner]);
        await Ip([.. scope, "link", "set", inner, "up"]);
        return outer;
    }

    private static Task Ip(params string[] args) => Run("ip", args, check: true);

    private static Task Run(string program, params string[] args) => Run(program, args, check: false);

    private static async Task Run(string program, string[] args, bool check)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {error.Trim()}");
        }
    }
}

/// <summary>One host of a <see cref="NetworkBed"/>: its namespace, its addresses and its links on the bridges.</summary>
internal sealed class NetworkHost(string @namespace)
{
    public string Namespace { get; } = @namespace;

    public string? ClusterAddress { get; set; }

    public string? PublicAddress { get; set; }

    public string? ClusterLink { get; set; }

    public string? PublicLink { get; set; }
}
