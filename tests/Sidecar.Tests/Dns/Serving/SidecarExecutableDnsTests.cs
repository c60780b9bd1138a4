using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Wire;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>The real executable: the composition root starts DNS first, on exactly --dns-addr.</summary>
public sealed class SidecarExecutableDnsTests
{
    private static string[] Arguments(IPEndPoint dnsAddr) =>
        ["--ip-range", "127.1.0.0/24", "--dns-addr", dnsAddr.ToString(), "--source", "file:/nonexistent.yaml", "--admin-addr", ""];

    [Fact]
    public async Task Main_Started_AnswersDnsOnDnsAddr()
    {
        var loopback = FreePort.UniqueLoopback();
        var address = new IPEndPoint(loopback, FreePort.Udp(loopback.ToString()));
        await using var sidecar = SidecarProcess.Start(Arguments(address));
        Assert.True(await sidecar.WaitForOutputAsync("Serving DNS on", TimeSpan.FromSeconds(30)), sidecar.Stdout + sidecar.Stderr);

        var message = await DnsProbe.AskAsync(address, DnsTestMessages.Query("unmapped.svc.test", id: 77));

        Assert.Equal((77, DnsResponseCode.NameError), ((int)message.Header.Id, message.ResponseCode));
    }

    [Fact]
    public async Task Main_DnsAddrInUse_ExitsOneSayingWhatToDo()
    {
        using var occupier = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupier.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var (exitCode, stdout, stderr) = await SidecarProcess.RunAsync(Arguments((IPEndPoint)occupier.LocalEndPoint!));

        Assert.Equal(1, exitCode);
        Assert.Contains("already in use", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("--dns-addr", stdout + stderr, StringComparison.Ordinal);
    }
}
