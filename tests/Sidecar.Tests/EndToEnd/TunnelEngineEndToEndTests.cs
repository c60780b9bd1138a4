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
        await rig.StartAsync(false, "--tunnel-engine", engine);

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
            Assert.False(Directory.Exists(rig.StateDir) && Directory.EnumerateFiles(rig.StateDir, "*.toml", SearchOption.AllDirectories).Any(),
                "no frpc configuration (with secrets) on disk");
        }
        else
        {
            Assert.Single(rig.FrpcChildren());
        }
        Assert.DoesNotContain(rig.SecretKey, rig.Output);
        Assert.DoesNotContain(rig.Token, rig.Output);
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
        await rig.StartAsync(false, "--tunnel-engine", engine);

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
