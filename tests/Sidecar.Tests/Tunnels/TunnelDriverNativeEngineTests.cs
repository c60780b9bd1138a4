using System.Net;
using Sidecar.Endpoints;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels.Native;
using Sidecar.Tests.Tunnels.Native.StandIn;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.Tunnels;

/// <summary>
/// The driver with the native engine (the default) where frpc is still asked for: xtcp, with no frpc binary
/// (the default image ships none). Against the STAND-IN frps; the state directory is a path that must never appear.
/// </summary>
public sealed class TunnelDriverNativeEngineTests
{
    [Fact]
    public async Task Open_XtcpWithoutFrpc_FailedNamedOnceAndCountedOthersServedNoStateDirectory()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        using var backend = new EchoServer();
        await using var rig = new Rig();
        var server = NativeRig.Server(frps, "tok-1");
        var xtcp = new Tunnel(new Endpoint("chat.abc", FreePort.Tcp(), "chat.abc", ProxyType.Xtcp, server, null, "sk-2"), IPAddress.Loopback);
        var stcp = new Tunnel(new Endpoint("redis.abc", FreePort.Tcp(), "redis.abc", ProxyType.Stcp, server, null, "sk-1"), IPAddress.Loopback);
        var tcp = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), backend.EndPoint);

        await rig.Driver.StartAsync(CancellationToken.None);
        await rig.Driver.OpenAsync([xtcp, stcp, tcp], CancellationToken.None);

        await TestNet.UntilAsync(() => rig.Driver.GetState(xtcp) == TunnelState.Failed, "xtcp failed");
        await TestNet.UntilAsync(() => rig.Driver.GetState(stcp) == TunnelState.Listening && rig.Driver.GetState(tcp) == TunnelState.Listening, "others listen");
        using (var client = await TestNet.ConnectAsync(stcp.LocalEndPoint))
        {
            Assert.Equal("stcp", await TestNet.RoundTripAsync(client, "stcp"));
        }
        using (var client = await TestNet.ConnectAsync(tcp.LocalEndPoint))
        {
            Assert.Equal("tcp", await TestNet.RoundTripAsync(client, "tcp"));
        }
        // Retried with backoff, still one line, naming the service and the frp server.
        await TestNet.UntilAsync(() => rig.Failures(server.Resource) >= 2, "frpc looked for again");
        var line = Assert.Single(rig.Logs.Lines, l => l.Contains("frpc not found"));
        Assert.StartsWith("Error", line);
        Assert.Contains("chat.abc:", line);
        Assert.Contains("frps-a", line);
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains("sk-1") || l.Contains("sk-2") || l.Contains("tok-1"));
        Assert.False(Directory.Exists(rig.StateDir), "no state directory without an frpc to configure");
    }

    [Fact]
    public async Task Open_XtcpWithStcpTwinWithoutFrpc_ServedNativelyThroughTheTwin()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["stcp://chat.abc:7000/svc"] = ("sk-twin", "stcp");
        frps.Start();
        await using var rig = new Rig();
        var endpoint = new Endpoint("chat.abc", FreePort.Tcp(), "xtcp://chat.abc:7000/svc", ProxyType.Xtcp, NativeRig.Server(frps, "tok-1"), null, "sk-x")
        {
            FallbackProxyName = "stcp://chat.abc:7000/svc",
            FallbackSecretKey = "sk-twin",
        };
        var xtcp = new Tunnel(endpoint, IPAddress.Loopback);

        await rig.Driver.StartAsync(CancellationToken.None);
        await rig.Driver.OpenAsync([xtcp], CancellationToken.None);
        await TestNet.UntilAsync(() => rig.Driver.GetState(xtcp) == TunnelState.Listening, "xtcp listens");
        using var client = await TestNet.ConnectAsync(xtcp.LocalEndPoint);

        Assert.Equal("via the twin", await TestNet.RoundTripAsync(client, "via the twin"));
        Assert.True(frps.VisitorRequests.TryPeek(out var request));
        Assert.Equal("stcp://chat.abc:7000/svc", request!.ProxyName);
        Assert.Single(rig.Logs.Lines, l => l.Contains("stcp twin") && l.Contains("chat.abc:"));
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains("frpc not found"));
        Assert.Equal(0, rig.Failures("frps-a"));
        Assert.False(Directory.Exists(rig.StateDir), "no state directory without an frpc to configure");
    }

    /// <summary>A native-engine driver whose frpc does not exist and whose state directory does not exist yet.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempDirectory _temp = new();

        public Rig()
        {
            StateDir = _temp.File("state");
            Driver = new TunnelDriver(new FrpcOptions(StateDir, "/nonexistent/frpc") { RestartInitial = TimeSpan.FromMilliseconds(100), RestartMax = TimeSpan.FromMilliseconds(200) },
                new ForwarderOptions(), TimeSpan.FromSeconds(1), Logs, TimeProvider.System, Counters);
            Driver.UseNativeVisitors(NativeRig.Plain, NativeRig.Visitor);
        }

        public string StateDir { get; }

        public CapturingLoggerFactory Logs { get; } = new();

        public TunnelCounters Counters { get; } = new();

        public TunnelDriver Driver { get; }

        public long Failures(string server) =>
            Counters.FrpcStartFailures.TryGetValue((server, FrpcStartFailure.NotFound), out var counter) ? counter.Value : 0;

        public async ValueTask DisposeAsync()
        {
            await Driver.DisposeAsync();
            Logs.Dispose();
            _temp.Dispose();
        }
    }
}
