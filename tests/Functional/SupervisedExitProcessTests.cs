using WsOrleans.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace WsOrleans.Tests.Functional;

/// <summary>
/// Process level, Redis mode: a silo the cluster declared dead while it could not answer (here: frozen with
/// SIGSTOP, as a network cut looks from inside) learns it when it runs again and exits with one clear line and
/// code 75, for its supervisor to start it again, instead of Orleans' fail-fast abort.
/// </summary>
public sealed class SupervisedExitProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SiloDeclaredDeadWhileFrozen_ExitsWith75AndOneLineSayingWhy_TheOtherSiloAndEdgeGoOn()
    {
        await using var backends = await EchoBackends.StartAsync(1);
        await using var cluster = await ProcessCluster.StartAsync(backends.AsBackendsOf("default"));
        cluster.StartSilo();
        var frozen = cluster.StartSilo();
        var edge = await cluster.StartEdgeAsync("edge-a", TimeSpan.FromSeconds(3));
        await cluster.WaitForSilosAsync(edge, 2);

        frozen.Process.Freeze();
        await Eventually.Until(
            async () => (await edge.TryStatusAsync())?.Silos?.Count(s => s.Status == "active"),
            active => active == 1,
            "the other silo to declare the frozen one dead",
            TimeSpan.FromSeconds(60));
        frozen.Process.Thaw();

        var exitCode = await frozen.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(frozen.Process.Output.Split('\n').LastOrDefault(l => l.Contains("wsorleans:", StringComparison.Ordinal)) ?? "(no line)");
        Assert.Equal(75, exitCode);
        Assert.Contains("exiting with code 75 so that its supervisor starts it again", frozen.Process.Output);
        using var socket = await WebSocketClient.ConnectAsync(edge.WebSocketUri("/ws"), default);
        Assert.Equal("a", await socket.AskAsync("whoami", default));
    }
}
