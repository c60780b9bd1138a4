using System.Net;
using System.Net.Sockets;
using System.Text;
using Sidecar.Endpoints;
using Sidecar.Tests.Tunnels.Native.StandIn;
using Sidecar.Tunnels.Native.Visitors;

namespace Sidecar.Tests.Tunnels.Native.Visitors;

public sealed class SudpVisitorTests
{
    [Fact]
    public async Task Datagram_ThroughStandInFrps_EchoedToEachClient()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["stats.abc"] = ("sk-2", "sudp");
        frps.Start();
        await using var rig = await StcpVisitorTests.VisitorRig.StartAsync(frps, new FrpVisitorTarget("stats.abc", "sk-2"), type: ProxyType.Sudp);

        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal("hello frp sudp", await EchoAsync(a, rig.Tunnel.LocalEndPoint, "hello frp sudp"));
        Assert.Equal("second client", await EchoAsync(b, rig.Tunnel.LocalEndPoint, "second client"));
        Assert.Equal(1, frps.VisitorConnections); // one stream carries every client's datagrams, as frpc does
    }

    private static async Task<string> EchoAsync(Socket socket, IPEndPoint target, string text)
    {
        var buffer = new byte[1500];
        using var timeout = new CancellationTokenSource(TestNet.Patience);
        while (true)
        {
            await socket.SendToAsync(Encoding.UTF8.GetBytes(text), target);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, attempt.Token);
                return Encoding.UTF8.GetString(buffer, 0, n);
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                // UDP: the first datagram may be dropped while the stream opens; resend.
            }
        }
    }
}
