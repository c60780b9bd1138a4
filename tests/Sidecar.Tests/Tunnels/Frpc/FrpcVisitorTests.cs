using System.Net;
using Sidecar.Endpoints;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Frpc;

using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>Visitors through a supervised frpc; frpc is the stand-in tests/FakeFrpc (no frp binaries here).</summary>
public sealed class FrpcVisitorTests
{
    [Fact]
    public async Task Open_StcpTunnel_ListeningAndEchoesThroughFrpc()
    {
        await using var h = new FrpcHarness();
        h.Route("mysql.abc");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "mysql.abc", FreePort.Tcp());

        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);

        using var client = await TestNet.ConnectAsync(tunnel.LocalEndPoint);
        Assert.Equal("ping", await TestNet.RoundTripAsync(client, "ping"));
        var config = Directory.GetFiles(h.StateDir, "frpc-*.toml").Single();
        Assert.Equal(StateDirectory.FileMode, File.GetUnixFileMode(config));
        Assert.Equal(StateDirectory.DirectoryMode, File.GetUnixFileMode(h.StateDir));
    }

    [Fact]
    public async Task Reload_VisitorAddedAndRemoved_OpenConnectionThroughUnchangedVisitorSurvives()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc", "b.svc");
        var a = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        var b = TestTunnels.Visitor(ProxyType.Stcp, "b.svc", FreePort.Tcp());
        await h.StartAsync(a);
        await h.ListeningAsync(a);
        var pid = h.Pid(a.Endpoint.Server);
        using var kept = await TestNet.ConnectAsync(a.LocalEndPoint);
        Assert.Equal("before", await TestNet.RoundTripAsync(kept, "before"));

        await h.OpenAsync(b);
        await h.ListeningAsync(b);
        using (var viaB = await TestNet.ConnectAsync(b.LocalEndPoint))
        {
            Assert.Equal("b", await TestNet.RoundTripAsync(viaB, "b"));
        }
        await h.Driver.CloseAsync([b], CancellationToken.None);

        Assert.Equal("after", await TestNet.RoundTripAsync(kept, "after"));
        Assert.Equal(pid, h.Pid(a.Endpoint.Server));
        Assert.Equal(TunnelState.Failed, h.Driver.GetState(b));
        await TestNet.UntilAsync(() => !ListenProbe.IsTcpListeningAsync(b.LocalEndPoint, CancellationToken.None).Result, "b closed by reload");
    }

    [Fact]
    public async Task Close_LastVisitor_FrpcStoppedCleanly()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);
        var pid = h.Pid(tunnel.Endpoint.Server);

        await h.Driver.CloseAsync([tunnel], CancellationToken.None);

        Assert.Null(ProcInfo.StartTime(pid));
        Assert.Empty(h.ChildrenAlive());
        Assert.Empty(Directory.GetFiles(h.StateDir, "frpc-*"));
        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_ServerPortChanged_NewFrpcAndOldOneStopped()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        var port = FreePort.Tcp();
        var before = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", port, TestTunnels.Server(7000));
        var after = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", port, TestTunnels.Server(7001));
        await h.StartAsync(before);
        await h.ListeningAsync(before);
        var oldPid = h.Pid(before.Endpoint.Server);

        await h.Driver.CloseAsync([before], CancellationToken.None);
        await h.OpenAsync(after);
        await h.ListeningAsync(after);

        var newPid = h.Pid(after.Endpoint.Server);
        Assert.NotEqual(oldPid, newPid);
        Assert.Null(ProcInfo.StartTime(oldPid));
        var config = File.ReadAllText(Directory.GetFiles(h.StateDir, "frpc-*.toml").Single());
        Assert.Contains("serverPort = 7001", config);
    }

    [Fact]
    public async Task Supervise_FrpcKilled_RestartedAndTunnelListeningAgain()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);
        var pid = h.Pid(tunnel.Endpoint.Server);

        Posix.Signal(pid, Posix.SigKill);

        await TestNet.UntilAsync(() => h.TryPid(tunnel.Endpoint.Server) is { } p && p != pid, "a new frpc");
        await h.ListeningAsync(tunnel);
        using var client = await TestNet.ConnectAsync(tunnel.LocalEndPoint);
        Assert.Equal("back", await TestNet.RoundTripAsync(client, "back"));
        Assert.True(Restarts(h, tunnel.Endpoint.Server.Resource) >= 1);
        Assert.True(h.Logs.Contains("exited with code"));
    }

    [Fact]
    public async Task Supervise_OneServerCrashLoops_OtherServerUnaffected()
    {
        await using var h = new FrpcHarness();
        h.Route("good.svc", "bad.svc");
        File.WriteAllText(Path.Combine(h.StateDir, "fake-exit-ports.txt"), "7666\n");
        var good = TestTunnels.Visitor(ProxyType.Stcp, "good.svc", FreePort.Tcp(), TestTunnels.Server(7000));
        var bad = TestTunnels.Visitor(ProxyType.Stcp, "bad.svc", FreePort.Tcp(), TestTunnels.Server(7666, resource: "frps-bad"));

        await h.StartAsync(good, bad);
        await h.ListeningAsync(good);
        var goodPid = h.Pid(good.Endpoint.Server);

        await TestNet.UntilAsync(() => h.Logs.Contains("is crash-looping"), "crash loop in the log");
        Assert.True(Restarts(h, bad.Endpoint.Server.Resource) >= 3);
        Assert.NotEqual(TunnelState.Listening, h.Driver.GetState(bad));
        Assert.Equal(goodPid, h.Pid(good.Endpoint.Server));
        Assert.Equal(0, Restarts(h, good.Endpoint.Server.Resource));
        Assert.True(h.Logs.Contains("frpc[frps-bad (127.0.0.1:7666)]"));
        Assert.Contains(h.Logs.Lines, l => l.StartsWith($"Error {TunnelEventIds.FrpcOutput}", StringComparison.Ordinal) && l.Contains("login to the server"));
        using var client = await TestNet.ConnectAsync(good.LocalEndPoint);
        Assert.Equal("fine", await TestNet.RoundTripAsync(client, "fine"));
    }

    /// <summary>The frpc restarts of one FRPServer, as /metrics exports them.</summary>
    private static long Restarts(FrpcHarness h, string server) =>
        h.Driver.Counters.FrpcRestarts.TryGetValue(server, out var restarts) ? restarts.Value : 0;
}
