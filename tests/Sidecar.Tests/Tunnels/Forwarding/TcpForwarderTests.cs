using System.Net;
using System.Net.Sockets;
using Sidecar.Endpoints;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;

using Sidecar.Tests.Support;

namespace Sidecar.Tests.Tunnels.Forwarding;

public sealed class TcpForwarderTests
{
    private static readonly ForwarderOptions Fast = new()
    {
        BindRetryInitial = TimeSpan.FromMilliseconds(100),
        BindRetryMax = TimeSpan.FromMilliseconds(400),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static TcpForwarder Start(IPEndPoint backend, ForwarderOptions? options = null, TunnelCounters? counters = null, int? port = null)
    {
        var tunnel = TestTunnels.Forwarded(ProxyType.Tcp, port ?? FreePort.Tcp(), backend);
        var forwarder = new TcpForwarder(tunnel, options ?? Fast, counters ?? new TunnelCounters(), TimeProvider.System,
            new CapturingLoggerFactory().CreateLogger("test"));
        forwarder.Start();
        return forwarder;
    }

    [Fact]
    public async Task Relay_LoopbackEchoBackend_BytesComeBack()
    {
        using var backend = new EchoServer();
        await using var forwarder = Start(backend.EndPoint);
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");

        using var client = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);

        Assert.Equal("hello", await TestNet.RoundTripAsync(client, "hello"));
        var big = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        var send = client.SendAsync(big);
        var back = await TestNet.ReadExactlyAsync(client, big.Length);
        await send;
        Assert.Equal(big, back);
    }

    [Fact]
    public async Task Relay_ClientHalfCloses_BackendSeesEofAndReplyStillArrives()
    {
        using var backend = new EchoServer();
        await using var forwarder = Start(backend.EndPoint);
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var client = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);

        await client.SendAsync("last words"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        var rest = await TestNet.ReadToEndAsync(client);

        // The backend only sends its trailer after it read EOF, and closes after it: both FINs passed.
        Assert.Equal("last words<eof-seen>", System.Text.Encoding.UTF8.GetString(rest));
    }

    [Fact]
    public async Task Accept_AtConnectionCap_NewClientRefusedOthersKeepWorking()
    {
        using var backend = new EchoServer();
        var counters = new TunnelCounters();
        await using var forwarder = Start(backend.EndPoint, Fast with { MaxConnections = 2 }, counters);
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var first = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);
        using var second = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);
        Assert.Equal("1", await TestNet.RoundTripAsync(first, "1"));
        Assert.Equal("2", await TestNet.RoundTripAsync(second, "2"));

        var refused = await Record.ExceptionAsync(async () =>
        {
            // The reset may already fail the connect, or the first read.
            using var third = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);
            await third.SendAsync("3"u8.ToArray());
            if ((await TestNet.ReadToEndAsync(third)).Length == 0)
            {
                throw new IOException("closed without data");
            }
        });

        Assert.NotNull(refused);
        await TestNet.UntilAsync(() => counters.RejectedConnections.Value == 1, "rejection counted");
        Assert.Equal("still", await TestNet.RoundTripAsync(first, "still"));
        Assert.Equal(2, backend.Accepted);
    }

    [Fact]
    public async Task Bind_PortInUse_OnlyThatTunnelFailsAndRecoversWhenFreed()
    {
        using var backend = new EchoServer();
        var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blocker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blocker.Listen();
        var blockedPort = ((IPEndPoint)blocker.LocalEndPoint!).Port;

        await using var blocked = Start(backend.EndPoint, port: blockedPort);
        await using var healthy = Start(backend.EndPoint);
        await TestNet.UntilAsync(() => blocked.State == TunnelState.Failed, "bind failure");
        await TestNet.UntilAsync(() => healthy.State == TunnelState.Listening, "other tunnel listening");
        using (var client = await TestNet.ConnectAsync(healthy.Tunnel.LocalEndPoint))
        {
            Assert.Equal("ok", await TestNet.RoundTripAsync(client, "ok"));
        }

        blocker.Dispose();

        await TestNet.UntilAsync(() => blocked.State == TunnelState.Listening, "retried bind");
        using var late = await TestNet.ConnectAsync(blocked.Tunnel.LocalEndPoint);
        Assert.Equal("late", await TestNet.RoundTripAsync(late, "late"));
    }

    [Fact]
    public async Task Connect_UpstreamDown_ClientClosedAndCounted()
    {
        var counters = new TunnelCounters();
        var dead = new IPEndPoint(IPAddress.Loopback, FreePort.Tcp());
        await using var forwarder = Start(dead, counters: counters);
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");

        // The reset can already fail the connect (it races the handshake's completion), or the read.
        var error = await Record.ExceptionAsync(async () =>
        {
            using var client = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);
            Assert.Empty(await TestNet.ReadToEndAsync(client));
        });

        Assert.True(error is null or SocketException, error?.ToString());
        await TestNet.UntilAsync(() => counters.FailedUpstreamConnects.Value == 1, "failure counted");
        // The failure is counted before the connection leaves the active set, so wait for both.
        await TestNet.UntilAsync(() => forwarder.ActiveConnections == 0, "connection released");
    }

    [Fact]
    public async Task Stop_OpenConnections_ClosedAndPortReleased()
    {
        using var backend = new EchoServer();
        var forwarder = Start(backend.EndPoint);
        await TestNet.UntilAsync(() => forwarder.State == TunnelState.Listening, "listening");
        using var client = await TestNet.ConnectAsync(forwarder.Tunnel.LocalEndPoint);
        Assert.Equal("x", await TestNet.RoundTripAsync(client, "x"));

        await forwarder.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            if ((await TestNet.ReadToEndAsync(client)).Length == 0)
            {
                throw new IOException("closed");
            }
        });
        using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        rebind.Bind(forwarder.Tunnel.LocalEndPoint);
    }
}
