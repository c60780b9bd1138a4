using Sidecar.Dns.Wire;
using Sidecar.Tests.Dns;
using Sidecar.Tests.Support;
using Sidecar.Tunnels.Frpc;

namespace Sidecar.Tests.EndToEnd;

/// <summary>
/// The whole path with the real sidecar executable: STAND-IN Kubernetes API → sidecar → DNS answer →
/// TCP connect → bytes echo from a backend, for a tcp proxy (our forwarder) and an stcp proxy (a visitor of
/// the STAND-IN frpc). Both stand-ins speak the real wire formats; the product code is the shipped one.
/// </summary>
public sealed class SidecarEndToEndTests
{
    [Fact]
    public async Task Sidecar_ResourceChangesFrpcKilledAndSigterm_NamesTunnelsAndChildrenFollow()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource());
        await rig.StartAsync();

        // 1–2. Both names resolve to addresses of --ip-range, and bytes echo through each tunnel.
        var tcpAddress = await rig.ResolvedAsync(EndToEndRig.TcpName);
        var stcpAddress = await rig.ResolvedAsync(EndToEndRig.StcpName);
        Assert.NotEqual(tcpAddress, stcpAddress);
        Assert.StartsWith(rig.IpRange[..rig.IpRange.LastIndexOf('.')], tcpAddress.ToString(), StringComparison.Ordinal);
        Assert.True(await EndToEndRig.EchoesAsync(tcpAddress, rig.TcpPort, "through the forwarder\n"), rig.Output);
        Assert.True(await EndToEndRig.EchoesAsync(stcpAddress, rig.StcpPort, "through the visitor\n"), rig.Output);
        Assert.True(rig.TcpBackend.Accepted >= 1 && rig.StcpBackend.Accepted >= 1);
        var frpc = Assert.Single(rig.FrpcChildren());

        // 3. The resource drops the tcp proxy: its name and listener go away, the stcp one stays.
        rig.Api.Put(rig.Resource(withTcp: false));
        await rig.PollAsync(async () => (await DnsProbe.QueryAsync(rig.Dns, EndToEndRig.TcpName)).Code == DnsResponseCode.NameError,
            "mysql.abc answers NXDOMAIN");
        await rig.PollAsync(() => EndToEndRig.RefusedAsync(tcpAddress, rig.TcpPort), "the forwarder's listener is closed");
        Assert.Equal(stcpAddress, (await DnsProbe.QueryAsync(rig.Dns, EndToEndRig.StcpName)).Address);
        Assert.True(await EndToEndRig.EchoesAsync(stcpAddress, rig.StcpPort, "still there\n"), rig.Output);

        // 4. frpc is killed behind the sidecar's back: the supervisor starts a new one, the name works again.
        Assert.True(Posix.Signal(frpc, Posix.SigKill));
        await rig.PollAsync(() => Task.FromResult(rig.FrpcChildren() is [var pid] && pid != frpc), "a new frpc replaces the killed one");
        await rig.PollAsync(async () => await DnsProbe.QueryAsync(rig.Dns, EndToEndRig.StcpName) is (DnsResponseCode.NoError, var a) && a!.Equals(stcpAddress)
            && await EndToEndRig.EchoesAsync(stcpAddress, rig.StcpPort, "back again\n"), "redis.abc works after the restart");

        // 5. SIGTERM: an orderly exit 0, and no frpc child outlives the sidecar.
        rig.Sidecar!.Signal(SidecarProcess.SIGTERM);
        Assert.Equal(0, await rig.Sidecar.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(rig.FrpcChildren());
        Assert.DoesNotContain(rig.SecretKey, rig.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Token, rig.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sidecar_FrpcIgnoresSigterm_SigtermStopsCleanlyWithinTheGraceAndExitsZero()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource(withTcp: false));
        // The stand-in frpc ignores SIGTERM when this file is next to its config.
        Directory.CreateDirectory(rig.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(rig.StateDir, "fake-ignore-sigterm"), "");
        await rig.StartAsync(admin: true);
        var address = await rig.ResolvedAsync(EndToEndRig.StcpName);
        Assert.True(await EndToEndRig.EchoesAsync(address, rig.StcpPort, "before SIGTERM\n"), rig.Output);
        Assert.Single(rig.FrpcChildren());

        rig.Sidecar!.Signal(SidecarProcess.SIGTERM);

        Assert.Equal(0, await rig.Sidecar.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(rig.FrpcChildren());
        Assert.Contains("ignored SIGTERM", rig.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not stop within the grace period", rig.Output, StringComparison.Ordinal);
        Assert.Contains("(clean: True)", rig.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sidecar_SigkilledAndStartedAgain_LeftoverFrpcStoppedAndStcpWorks()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource(withTcp: false));
        await rig.StartAsync();
        var address = await rig.ResolvedAsync(EndToEndRig.StcpName);
        Assert.True(await EndToEndRig.EchoesAsync(address, rig.StcpPort, "first run\n"), rig.Output);
        var first = Assert.Single(rig.FrpcChildren());

        // SIGKILL leaves the sidecar no chance to stop its child; the next start must find and stop it.
        rig.Sidecar!.Signal(SidecarProcess.SIGKILL);
        await rig.Sidecar.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await rig.StartAsync();

        await rig.PollAsync(() => Task.FromResult(rig.FrpcChildren() is [var pid] && pid != first), "only the new run's frpc is alive");
        // The stand-in frpc, like the real one, outlives a SIGKILLed parent: the second run had to stop it.
        Assert.True(await rig.Sidecar.WaitForOutputAsync($"Stopped leftover frpc (pid {first}", TimeSpan.FromSeconds(30)), rig.Output);
        await rig.PollAsync(async () => await DnsProbe.QueryAsync(rig.Dns, EndToEndRig.StcpName) is (DnsResponseCode.NoError, var a) && a!.Equals(address)
            && await EndToEndRig.EchoesAsync(address, rig.StcpPort, "second run\n"), "redis.abc works in the second run, at the same address");
    }

    [Fact]
    public async Task Sidecar_UdpProxy_DatagramsEchoThroughTheForwarderUntilTheProxyGoes()
    {
        await using var rig = await EndToEndRig.CreateAsync();
        rig.Api.Put(rig.Resource(withTcp: false, withStcp: false, withUdp: true));
        await rig.StartAsync();

        var address = await rig.ResolvedAsync(EndToEndRig.UdpName);
        Assert.True(await EndToEndRig.UdpEchoesAsync(address, rig.UdpPort, "datagram through the forwarder"), rig.Output);

        rig.Api.Put(rig.Resource(withTcp: false, withStcp: false, withUdp: false));
        await rig.PollAsync(async () => (await DnsProbe.QueryAsync(rig.Dns, EndToEndRig.UdpName)).Code == DnsResponseCode.NameError,
            "syslog.abc answers NXDOMAIN");
        Assert.Empty(rig.FrpcChildren()); // udp needs no frpc
    }
}
