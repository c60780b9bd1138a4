using System.Net;
using Sidecar.Endpoints;
using Sidecar.Tests.Tunnels.Frpc;
using Sidecar.Tunnels;

using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels;

public sealed class TunnelDriverTests
{
    [Fact]
    public async Task Open_FrpcMissing_VisitorFailedForwarderListening()
    {
        await using var h = new FrpcHarness(frpcPath: "/nonexistent/frpc");
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        var forwarded = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), h.Backend.EndPoint);

        await h.StartAsync(visitor, forwarded);

        await TestNet.UntilAsync(() => h.Driver.GetState(visitor) == TunnelState.Failed, "visitor failed");
        await h.ListeningAsync(forwarded);
        Assert.True(h.Logs.Contains("frpc not found at '/nonexistent/frpc'"));
        using var client = await TestNet.ConnectAsync(forwarded.LocalEndPoint);
        Assert.Equal("tcp", await TestNet.RoundTripAsync(client, "tcp"));
    }

    [Theory]
    [InlineData("Http")]
    [InlineData("Https")]
    [InlineData("Tcpmux")]
    public async Task Open_HttpLikeProxy_UnsupportedAndExplainedOnce(string typeName)
    {
        var type = Enum.Parse<ProxyType>(typeName);
        await using var h = new FrpcHarness();
        var tunnel = new Tunnel(new Endpoint("web.abc", 80, "web.abc", type, TestTunnels.Server(), null, null), IPAddress.Loopback);
        await h.StartAsync(tunnel);
        await h.Driver.CloseAsync([tunnel], CancellationToken.None);
        await h.OpenAsync(tunnel);

        Assert.Equal(TunnelState.Unsupported, h.Driver.GetState(tunnel));
        Assert.Single(h.Logs.Lines, l => l.Contains("is not opened") && l.Contains("web.abc"));
        Assert.Empty(h.ChildrenAlive()); // no frpc started for it
    }

    [Theory]
    [InlineData("Stcp", null, false)]
    [InlineData("Sudp", "", false)]
    [InlineData("Stcp", null, true)]
    [InlineData("Sudp", "", true)]
    public async Task Open_VisitorWithoutSecretKey_WarnedOncePerProxyNamingWhatIsMissing(string typeName, string? secretKey, bool native)
    {
        var type = Enum.Parse<ProxyType>(typeName);
        await using var h = new FrpcHarness(frpcPath: "/nonexistent/frpc");
        if (native)
        {
            h.Driver.UseNativeVisitors(new(), new());
        }
        var keyless = TestTunnels.Visitor(type, "redis.abc", FreePort.Tcp(), secretKey: secretKey);
        var keyed = TestTunnels.Visitor(type, "web.abc", FreePort.Tcp(), secretKey: "sk-9e107d9d372bb6");

        await h.StartAsync(keyless, keyed);
        await h.Driver.CloseAsync([keyless], CancellationToken.None);
        await h.OpenAsync(keyless);

        var warning = Assert.Single(h.Logs.Lines, l => l.Contains("secretKey"));
        Assert.StartsWith("Warning", warning);
        Assert.Contains("redis.abc", warning);
        Assert.Contains("frps-a (127.0.0.1:7000)", warning);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("sk-9e107d9d372bb6"));
    }

    [Fact]
    public async Task Open_TcpWithoutRemotePort_FailedOthersOpen()
    {
        await using var h = new FrpcHarness();
        var broken = new Tunnel(new Endpoint("x", FreePort.Tcp(), "x", ProxyType.Tcp, TestTunnels.Server(), null, null), IPAddress.Loopback);
        var fine = TestTunnels.Forwarded(ProxyType.Udp, FreePort.Udp(), new IPEndPoint(IPAddress.Loopback, 9));

        await h.StartAsync(broken, fine);

        Assert.Equal(TunnelState.Failed, h.Driver.GetState(broken));
        await h.ListeningAsync(fine);
    }

    [Fact]
    public async Task Close_Forwarder_PortReleasedAndStateFailed()
    {
        await using var h = new FrpcHarness();
        var tunnel = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), h.Backend.EndPoint);
        await h.StartAsync(tunnel);
        await h.ListeningAsync(tunnel);

        await h.Driver.CloseAsync([tunnel], CancellationToken.None);

        Assert.Equal(TunnelState.Failed, h.Driver.GetState(tunnel));
        Assert.False(await ListenProbe.IsTcpListeningAsync(tunnel.LocalEndPoint, CancellationToken.None));
    }

    [Fact]
    public async Task Open_SudpVisitor_ListeningOnceFrpcBoundUdp()
    {
        await using var h = new FrpcHarness();
        using var backend = new UdpEchoServer();
        File.WriteAllText(Path.Combine(h.StateDir, "fake-backends.txt"), $"dns.svc={backend.EndPoint}\n");
        var tunnel = TestTunnels.Visitor(ProxyType.Sudp, "dns.svc", FreePort.Udp());

        await h.StartAsync(tunnel);

        await h.ListeningAsync(tunnel);
        Assert.True(ListenProbe.IsUdpBound(tunnel.LocalEndPoint));
    }

    [Fact]
    public async Task Open_ForwarderAndFrpcVisitor_EachSignalsListeningOnceItListens()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        var forwarded = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), h.Backend.EndPoint);
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        var signals = new List<(TunnelState Forwarded, TunnelState Visitor)>();
        // What the reconcile loop sees when woken: the state the signal announced is already readable.
        h.Driver.TunnelListening += () =>
        {
            lock (signals)
            {
                signals.Add((h.Driver.GetState(forwarded), h.Driver.GetState(visitor)));
            }
        };

        await h.StartAsync(forwarded, visitor);
        await h.ListeningAsync(forwarded);
        await h.ListeningAsync(visitor);

        await TestNet.UntilAsync(() => { lock (signals) { return signals.Count == 2; } }, "one signal per tunnel");
        lock (signals)
        {
            Assert.Equal(TunnelState.Listening, signals[0].Forwarded); // the forwarder binds at once, frpc takes longer
            Assert.Equal((TunnelState.Listening, TunnelState.Listening), signals[1]);
        }
    }

    [Fact]
    public async Task Metrics_ForwardedConnectionAndFrpcRestart_Exported()
    {
        var metrics = new Sidecar.Observability.SidecarMetrics();
        await using var h = new FrpcHarness(counters: metrics.Tunnels);
        h.Route("a.svc");
        var forwarded = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), h.Backend.EndPoint);
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());
        await h.StartAsync(forwarded, visitor);
        await h.ListeningAsync(forwarded);
        await h.ListeningAsync(visitor);

        using (var client = await TestNet.ConnectAsync(forwarded.LocalEndPoint))
        {
            Assert.Equal("12345", await TestNet.RoundTripAsync(client, "12345"));
            Assert.Equal(1, metrics.Tunnels.ActiveConnections.Value);
        }
        Sidecar.Tunnels.Frpc.Posix.Signal(h.Pid(visitor.Endpoint.Server), Sidecar.Tunnels.Frpc.Posix.SigKill);

        await TestNet.UntilAsync(() => metrics.Tunnels.ActiveConnections.Value == 0, "connection closed");
        await TestNet.UntilAsync(() => metrics.Tunnels.FrpcRestarts.TryGetValue("frps-a", out var c) && c.Value == 1, "restart counted");
        Assert.Equal(1, metrics.Tunnels.ForwardedConnections.Value);
        Assert.Equal(5, metrics.Tunnels.BytesUpstream.Value);
        // The echo backend answers EOF with its trailer before closing.
        Assert.Equal(5 + EchoServer.Trailer.Length, metrics.Tunnels.BytesDownstream.Value);
        var byState = metrics.Tunnels.TunnelsByState().ToDictionary(s => s.State, s => s.Count);
        Assert.Equal(2, byState.Values.Sum());
        Assert.InRange(byState["listening"], 1, 2);
    }

    [Fact]
    public async Task Open_AfterStop_NothingOpened()
    {
        await using var h = new FrpcHarness();
        h.Route("a.svc");
        await h.StartAsync();
        await h.Driver.StopAsync(CancellationToken.None);
        var forwarded = TestTunnels.Forwarded(ProxyType.Tcp, FreePort.Tcp(), h.Backend.EndPoint);
        var visitor = TestTunnels.Visitor(ProxyType.Stcp, "a.svc", FreePort.Tcp());

        await h.OpenAsync(forwarded, visitor);

        Assert.Equal(TunnelState.Failed, h.Driver.GetState(forwarded));
        Assert.False(await ListenProbe.IsTcpListeningAsync(forwarded.LocalEndPoint, CancellationToken.None));
        Assert.Empty(h.ChildrenAlive());
    }
}
