using System.Diagnostics;
using Sidecar.Endpoints;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Frpc;

using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Frpc;

/// <summary>Children never outlive the sidecar; secrets never leave the config file. frpc is the stand-in.</summary>
public sealed class FrpcLifecycleTests
{
    [Fact]
    public async Task Stop_RunningFrpc_NoChildLeftAndConfigDeleted()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);
        Assert.Single(h.ChildrenAlive());

        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await h.Driver.StopAsync(grace.Token);
        }

        Assert.Empty(h.ChildrenAlive());
        Assert.Empty(Directory.GetFiles(h.StateDir, "frpc-*"));
    }

    [Fact]
    public async Task Stop_FrpcIgnoresSigterm_KilledWhenGraceEnds()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        File.WriteAllText(Path.Combine(h.StateDir, "fake-ignore-sigterm"), "");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);

        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await h.Driver.StopAsync(grace.Token);
        }

        Assert.Empty(h.ChildrenAlive());
        Assert.True(h.Logs.Contains("ignored SIGTERM"));
    }

    [Fact]
    public async Task Stop_FrpcIgnoresSigterm_KilledAtHalfTheGraceSoStopEndsWithinIt()
    {
        // The driver's grace is the host's: SIGKILL comes at half of it, leaving the rest to what stops later.
        var graceTime = TimeSpan.FromSeconds(20);
        await using var h = new FrpcHarness(grace: graceTime);
        h.Route("a.svc");
        File.WriteAllText(Path.Combine(h.StateDir, "fake-ignore-sigterm"), "");
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);

        using var grace = new CancellationTokenSource(graceTime);
        await h.Driver.StopAsync(grace.Token);

        Assert.False(grace.IsCancellationRequested, "stopping the tunnels used the whole grace period");
        Assert.Empty(h.ChildrenAlive());
        Assert.True(h.Logs.Contains("ignored SIGTERM"));
    }

    [Fact]
    public async Task Start_LeftoverOfSigkilledSidecar_Killed()
    {
        await using var h = new FrpcHarness();
        // What a SIGKILLed sidecar leaves: a running frpc, its config and its pid record.
        var config = Path.Combine(h.StateDir, "frpc-1.toml");
        File.WriteAllText(config, $"[webServer]\nport = {FreePort.Tcp()}\n");
        using var leftover = Process.Start(new ProcessStartInfo(FrpcHarness.FakeFrpcPath) { ArgumentList = { "-c", config }, RedirectStandardOutput = true })!;
        await TestNet.UntilAsync(() => ProcInfo.CommandLine(leftover.Id).Contains(config), "leftover running");
        File.WriteAllText(Path.Combine(h.StateDir, "frpc-1.pid"), new LeftoverRecord(leftover.Id, ProcInfo.StartTime(leftover.Id)!.Value, config).Format());

        await h.StartAsync();

        // Gone (at most a zombie) by the time start returns, so its visitor ports are free for the new frpc.
        Assert.DoesNotContain(config, ProcInfo.CommandLine(leftover.Id));
        Assert.True(leftover.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(config));
        Assert.True(h.Logs.Contains("Stopped leftover frpc"));
    }

    [Fact]
    public async Task Start_PidRecordOfUnrelatedProcess_LeftAlone()
    {
        await using var h = new FrpcHarness();
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        File.WriteAllText(Path.Combine(h.StateDir, "frpc-9.pid"), $"{unrelated.Id} {ProcInfo.StartTime(unrelated.Id)}\n{h.StateDir}/frpc-9.toml\n");

        await h.StartAsync();

        Assert.False(unrelated.HasExited);
        unrelated.Kill();
    }

    [Fact]
    public async Task Start_StateDirLockedByAnotherSidecar_OnlyVisitorsFailAndFirstChildrenUntouched()
    {
        await using var first = new FrpcHarness();
        first.Route("a.svc");
        var running = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await first.StartAsync(running);
        await first.ListeningAsync(running);
        var firstPid = first.Pid(running.Endpoint.Server);
        var logs = new CapturingLoggerFactory();
        await using var second = new TunnelDriver(first.Options, new(), TimeSpan.FromSeconds(1), logs, TimeProvider.System);
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "b.svc", FreePort.Tcp());
        var forwarded = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), first.Backend.EndPoint);

        await second.StartAsync(CancellationToken.None);
        await second.OpenAsync([visitor, forwarded], CancellationToken.None);

        await TestNet.UntilAsync(() => second.GetState(visitor) == TunnelState.Failed, "visitor failed");
        await TestNet.UntilAsync(() => second.GetState(forwarded) == TunnelState.Listening, "forwarder listening");
        Assert.True(logs.Contains($"state directory '{first.StateDir}' cannot be used"));
        Assert.Equal(firstPid, first.Pid(running.Endpoint.Server));
        Assert.Equal(TunnelState.Listening, first.Driver.GetState(running));
    }

    [Fact]
    public async Task Open_Secrets_NeverOnCommandLineEnvironmentOrLog()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        const string token = "TOKEN-d41d8cd98f00";
        const string secretKey = "SK-9e107d9d372bb6";
        var server = TestTunnels.Server(token: token);
        var tunnel = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp(), server, secretKey);
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);
        var pid = h.Pid(server);

        var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        var environ = File.ReadAllText($"/proc/{pid}/environ");
        var config = File.ReadAllText(Directory.GetFiles(h.StateDir, "frpc-*.toml").Single());

        Assert.Contains(token, config);
        Assert.Contains(secretKey, config);
        foreach (var text in new[] { cmdline, environ, string.Join('\n', h.Logs.Lines) })
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(secretKey, text);
        }
        Assert.True(h.Logs.Contains("frpc[frps-a (127.0.0.1:7000)]"));
    }
}
