using System.Net;
using System.Net.Sockets;
using System.Text;
using Sidecar.Endpoints;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;

using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Forwarding;

public sealed class UdpForwarderTests
{
    private static UdpForwarder Start(IPEndPoint backend, ForwarderOptions options)
    {
        var tunnel = TestTunnels.Forwarded(ProxyType.Udp, FreePort.Udp(), backend);
        var forwarder = new UdpForwarder(tunnel, options, new TunnelCounters(), TimeProvider.System,
            new CapturingLoggerFactory().CreateLogger("test"));
        forwarder.Start();
        return forwarder;
    }

    private static async Task<string> AskAsync(Socket client, IPEndPoint to, string text, int attempts = 20)
    {
        // UDP may drop: retry a few times, generously.
        var buffer = new byte[65536];
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            await client.SendToAsync(Encoding.UTF8.GetBytes(text), to);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                return Encoding.UTF8.GetString(buffer, 0, n);
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new TimeoutException("no UDP answer");
    }

    private static Socket Client()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    [Fact]
    public async Task Relay_TwoClients_EachGetsItsOwnReplies()
    {
        using var backend = new UdpEchoServer();
        await using var forwarder = Start(backend.EndPoint, new ForwarderOptions());
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var a = Client();
        using var b = Client();

        Assert.Equal("echo:from a", await AskAsync(a, forwarder.Tunnel.LocalEndPoint, "from a"));
        Assert.Equal("echo:from b", await AskAsync(b, forwarder.Tunnel.LocalEndPoint, "from b"));
        Assert.Equal("echo:a again", await AskAsync(a, forwarder.Tunnel.LocalEndPoint, "a again"));

        Assert.Equal(2, forwarder.FlowCount);
    }

    [Fact]
    public async Task Sweep_IdleFlow_ExpiresAndNewDatagramOpensFreshFlow()
    {
        using var backend = new UdpEchoServer();
        await using var forwarder = Start(backend.EndPoint, new ForwarderOptions { UdpIdleTimeout = TimeSpan.FromMilliseconds(400) });
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var client = Client();
        Assert.Equal("echo:1", await AskAsync(client, forwarder.Tunnel.LocalEndPoint, "1"));

        await TestNet.UntilAsync(() => forwarder.FlowCount == 0, "idle flow expired");

        Assert.Equal("echo:2", await AskAsync(client, forwarder.Tunnel.LocalEndPoint, "2"));
        Assert.Equal(1, forwarder.FlowCount);
    }

    [Fact]
    public async Task Relay_AtFlowCap_NewClientDroppedExistingServed()
    {
        using var backend = new UdpEchoServer();
        await using var forwarder = Start(backend.EndPoint, new ForwarderOptions { MaxUdpFlows = 1 });
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var first = Client();
        using var second = Client();
        Assert.Equal("echo:1", await AskAsync(first, forwarder.Tunnel.LocalEndPoint, "1"));

        await Assert.ThrowsAsync<TimeoutException>(() => AskAsync(second, forwarder.Tunnel.LocalEndPoint, "2", attempts: 3));

        Assert.Equal("echo:again", await AskAsync(first, forwarder.Tunnel.LocalEndPoint, "again"));
    }
}
