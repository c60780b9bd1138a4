using System.Net;
using System.Net.Sockets;
using System.Text;
using Sidecar.Endpoints;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels.Native.StandIn;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.Tunnels.Native;

/// <summary>The tunnel driver with --tunnel-engine=native, against the stand-in frps: no frpc anywhere.</summary>
public sealed class NativeVisitorHostTests
{
    [Fact]
    public async Task Driver_NativeEngine_StcpAndSudpShareOneSessionWithoutFrpc()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Proxies["stats.abc"] = ("sk-2", "sudp");
        frps.Start();
        using var logs = new CapturingLoggerFactory();
        await using var driver = new TunnelDriver(new FrpcOptions(Path.Combine(Path.GetTempPath(), "unused-" + Guid.NewGuid()), "/nonexistent/frpc"),
            new ForwarderOptions(), TimeSpan.FromSeconds(1), logs, TimeProvider.System);
        driver.UseNativeVisitors(NativeRig.Plain, NativeRig.Visitor);
        var server = NativeRig.Server(frps, "tok-1");
        var stcp = new Tunnel(new Endpoint("redis.abc", FreePort.Tcp(), "redis.abc", ProxyType.Stcp, server, null, "sk-1"), IPAddress.Loopback);
        var sudp = new Tunnel(new Endpoint("stats.abc", FreePort.Udp(), "stats.abc", ProxyType.Sudp, server, null, "sk-2"), IPAddress.Loopback);

        await driver.OpenAsync([stcp, sudp], CancellationToken.None);
        await TestNet.UntilAsync(() => driver.GetState(stcp) == TunnelState.Listening && driver.GetState(sudp) == TunnelState.Listening, "both listen");

        using (var client = await TestNet.ConnectAsync(stcp.LocalEndPoint))
        {
            Assert.Equal("via native", await TestNet.RoundTripAsync(client, "via native"));
        }
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[64];
        await Eventually.TrueAsync(() =>
        {
            udp.SendTo("dgram"u8, sudp.LocalEndPoint);
            return udp.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectRead);
        }, "an sudp echo", TestNet.Patience);
        Assert.Equal("dgram", Encoding.UTF8.GetString(buffer, 0, udp.Receive(buffer)));
        Assert.Equal(1, frps.Logins); // one session for both visitors of the server
        Assert.DoesNotContain(logs.Lines, l => l.Contains("sk-1") || l.Contains("sk-2") || l.Contains("tok-1"));

        await driver.CloseAsync([stcp, sudp], CancellationToken.None);
        Assert.Equal(TunnelState.Failed, driver.GetState(stcp));
        await Assert.ThrowsAnyAsync<SocketException>(() => TestNet.ConnectAsync(stcp.LocalEndPoint));
    }

    [Fact]
    public async Task Driver_LegEncodingSettings_SentInNewVisitorConnAndEcho()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        using var logs = new CapturingLoggerFactory();
        await using var driver = new TunnelDriver(new FrpcOptions(Path.Combine(Path.GetTempPath(), "unused-" + Guid.NewGuid()), "/nonexistent/frpc"),
            new ForwarderOptions(), TimeSpan.FromSeconds(1), logs, TimeProvider.System);
        driver.UseNativeVisitors(NativeRig.Plain, NativeRig.Visitor with { UseEncryption = true, UseCompression = true });
        var stcp = new Tunnel(new Endpoint("redis.abc", FreePort.Tcp(), "redis.abc", ProxyType.Stcp, NativeRig.Server(frps, "tok-1"), null, "sk-1"),
            IPAddress.Loopback);

        await driver.OpenAsync([stcp], CancellationToken.None);
        await TestNet.UntilAsync(() => driver.GetState(stcp) == TunnelState.Listening, "listens");
        using var client = await TestNet.ConnectAsync(stcp.LocalEndPoint);
        Assert.Equal("encoded leg", await TestNet.RoundTripAsync(client, "encoded leg"));

        Assert.True(frps.VisitorRequests.TryPeek(out var request));
        Assert.Equal((true, true), (request!.UseEncryption, request.UseCompression));
    }
}
