using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels.Native.StandIn;

namespace Sidecar.Tests.EndToEnd;

/// <summary>
/// The real sidecar with each tunnel engine: frpc (the STAND-IN frpc relaying to an echo backend) and
/// native (in-process visitors speaking frp's protocol to the STAND-IN frps, whose stcp proxy echoes).
/// </summary>
public sealed class TunnelEngineEndToEndTests
{
    [Theory]
    [InlineData("frpc")]
    [InlineData("native")]
    public async Task Sidecar_StcpWithEitherEngine_EchoesWithoutSecretsInOutput(string engine)
    {
        await using var rig = await EndToEndRig.CreateAsync();
        await using var frps = new StandInFrps(rig.Token, rig.FrpsPort);
        frps.Proxies[EndToEndRig.StcpName] = (rig.SecretKey, "stcp");
        frps.Start();
        rig.Api.Put(rig.Resource(withTcp: false));
        rig.Engine = engine;
        await rig.StartAsync();

        var address = await rig.ResolvedAsync(EndToEndRig.StcpName);
        await rig.PollAsync(() => EndToEndRig.EchoesAsync(address, rig.StcpPort, $"via {engine}\n"), $"redis.abc echoes via {engine}");

        if (engine == "native")
        {
            Assert.Empty(rig.FrpcChildren());
            Assert.True(frps.Logins >= 1 && frps.VisitorConnections >= 1, rig.Output);
            // frps restarts: the listener stays, the session logs in again, connections work again.
            frps.Stop();
            frps.Start();
            await rig.PollAsync(() => EndToEndRig.EchoesAsync(address, rig.StcpPort, "after frps restart\n"), "echo after frps restart");
            Assert.True(frps.Logins >= 2, rig.Output);
            Assert.False(Directory.Exists(rig.StateDir), "no state directory, so no frpc configuration (with secrets) on disk");
        }
        else
        {
            Assert.Single(rig.FrpcChildren());
        }
        Assert.DoesNotContain(rig.SecretKey, rig.Output);
        Assert.DoesNotContain(rig.Token, rig.Output);
    }

    [Fact]
    public async Task Sidecar_DefaultEngineWithoutFrpc_StcpNativeTcpForwardedXtcpFailsInOneLineAndMetric()
    {
        const string xtcpName = "chat.abc";
        await using var rig = await EndToEndRig.CreateAsync();
        await using var frps = new StandInFrps(rig.Token, rig.FrpsPort);
        frps.Proxies[EndToEndRig.StcpName] = (rig.SecretKey, "stcp");
        frps.Start();
        var resource = rig.Resource();
        resource["status"]!["activeConnections"]!.AsArray().Add(TestResources.Connection(xtcpName, "xtcp", remotePort: null, secretKey: rig.SecretKey));
        rig.Api.Put(resource);
        rig.Engine = null; // the default
        rig.FrpcPath = "/nonexistent/frpc"; // as in the default image
        var xtcpPort = FreePort.Tcp();
        await rig.StartAsync(admin: true, "--mapped-services",
            $"{EndToEndRig.TcpName}:{rig.TcpPort},{EndToEndRig.StcpName}:{rig.StcpPort},{xtcpName}:{xtcpPort}");
        using var http = new HttpClient { BaseAddress = rig.Admin, Timeout = TimeSpan.FromSeconds(10) };

        var stcp = await rig.ResolvedAsync(EndToEndRig.StcpName);
        await rig.PollAsync(() => EndToEndRig.EchoesAsync(stcp, rig.StcpPort, "native by default\n"), "redis.abc echoes natively");
        var tcp = await rig.ResolvedAsync(EndToEndRig.TcpName);
        await rig.PollAsync(() => EndToEndRig.EchoesAsync(tcp, rig.TcpPort, "forwarded\n"), "mysql.abc echoes through the forwarder");
        await rig.PollAsync(async () => (await http.GetStringAsync("metrics")).Contains(
            "sidecar_frpc_start_failures_total{server=\"e2e-frps\",reason=\"not_found\"}", StringComparison.Ordinal), "the missing frpc counted");

        var line = Assert.Single(rig.Output.Split('\n'), l => l.Contains("frpc not found", StringComparison.Ordinal));
        Assert.Contains($"{xtcpName}:{xtcpPort}/xtcp", line, StringComparison.Ordinal);
        Assert.Contains("tunnels{state=\"failed\"} 1", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Empty(rig.FrpcChildren());
        Assert.False(Directory.Exists(rig.StateDir), "no state directory while no frpc can run");
        Assert.False(rig.Sidecar!.HasExited, rig.Output);
    }

    [Theory]
    [InlineData("frpc")]
    [InlineData("native")]
    public async Task Sidecar_SudpWithEitherEngine_EchoesFromUdpBackend(string engine)
    {
        await using var rig = await EndToEndRig.CreateAsync();
        await using var frps = new StandInFrps(rig.Token, rig.FrpsPort);
        frps.Proxies[EndToEndRig.SudpName] = (rig.SecretKey, "sudp");
        frps.UdpBackends[EndToEndRig.SudpName] = rig.SudpBackend.EndPoint;
        frps.Start();
        rig.Api.Put(rig.Resource(withTcp: false, withStcp: false, withSudp: true));
        rig.Engine = engine;
        await rig.StartAsync();

        var address = await rig.ResolvedAsync(EndToEndRig.SudpName);
        await rig.PollAsync(() => EndToEndRig.UdpEchoesAsync(address, rig.SudpPort, $"sudp via {engine}"), $"dns.abc echoes via {engine}");

        if (engine == "native")
        {
            Assert.Empty(rig.FrpcChildren());
            Assert.True(frps.Logins >= 1 && frps.VisitorConnections >= 1, rig.Output);
            // frps restarts: the socket stays bound, the next datagram opens a stream on the new session.
            frps.Stop();
            frps.Start();
            await rig.PollAsync(() => EndToEndRig.UdpEchoesAsync(address, rig.SudpPort, "sudp after frps restart"), "sudp echo after frps restart");
            Assert.True(frps.Logins >= 2, rig.Output);
        }
        else
        {
            Assert.Single(rig.FrpcChildren());
        }
        Assert.DoesNotContain(rig.SecretKey, rig.Output);
        Assert.DoesNotContain(rig.Token, rig.Output);
    }
}
