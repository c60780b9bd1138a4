using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Endpoints;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels.Native.StandIn;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Forwarding;
using Sidecar.Tunnels.Native.Session;
using Sidecar.Tunnels.Native.Visitors;

namespace Sidecar.Tests.Tunnels.Native.Visitors;

public sealed class StcpVisitorTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task Connection_ThroughStandInFrps_EchoesWithLegEncoding(bool encryption, bool compression)
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        await using var rig = await VisitorRig.StartAsync(frps, new FrpVisitorTarget("redis.abc", "sk-1", encryption, compression));

        using var client = await TestNet.ConnectAsync(rig.Tunnel.LocalEndPoint);
        Assert.Equal("hello frp stcp", await TestNet.RoundTripAsync(client, "hello frp stcp"));
        var big = new string('x', 300_000); // beyond the 256 KiB initial window both ways
        Assert.Equal(big, await TestNet.RoundTripAsync(client, big));

        Assert.True(frps.VisitorRequests.TryPeek(out var request));
        Assert.Equal((encryption, compression), (request!.UseEncryption, request.UseCompression));
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await client.ReceiveAsync(new byte[1].AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestNet.Patience)); // frps's FIN comes back
    }

    [Fact]
    public async Task Connection_OpenThenClosed_CountedInServerOpenStreams()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        await using var rig = await VisitorRig.StartAsync(frps, new FrpVisitorTarget("redis.abc", "sk-1"));

        using (var client = await TestNet.ConnectAsync(rig.Tunnel.LocalEndPoint))
        {
            Assert.Equal("count me", await TestNet.RoundTripAsync(client, "count me"));
            Assert.Equal(1, rig.Session.Counters.OpenStreams.Value);
        }
        await Eventually.TrueAsync(() => rig.Session.Counters.OpenStreams.Value == 0, "the stream is uncounted when the client leaves", TestNet.Patience);
        Assert.Equal(0, rig.Session.Counters.VisitorFailuresByReason().Sum(r => r.Count));
    }

    [Theory]
    [InlineData("redis.abc", "wrong-secret", "auth failed", "secret key differs", "wrong_secret")]
    [InlineData("nope.abc", "sk-1", "doesn't exist", "not registered", "unknown_proxy")]
    public async Task Connection_RefusedByFrps_ClosedWithOneActionableLogLineAndCountedByReason(string proxy, string secret, string serverText, string hint,
        string reason)
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        var logger = new CapturingLogger<StcpVisitor>();
        await using var rig = await VisitorRig.StartAsync(frps, new FrpVisitorTarget(proxy, secret), logger);

        for (var i = 0; i < 3; i++)
        {
            // The refusal is quick: the reset may even beat the connect's completion on a loaded machine.
            var outcome = await Record.ExceptionAsync(async () =>
            {
                using var client = await TestNet.ConnectAsync(rig.Tunnel.LocalEndPoint);
                await client.SendAsync("ping"u8.ToArray());
                Assert.Equal(0, await client.ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask().WaitAsync(TestNet.Patience));
            });
            Assert.True(outcome is null or SocketException, outcome?.ToString());
        }
        Assert.Equal(1, logger.Count(TunnelEventIds.StcpVisitorFailed));
        await Eventually.TrueAsync(() => rig.Session.Counters.VisitorFailuresByReason().Single(r => r.Reason == reason).Count == 3, "each refusal counted under its reason", TestNet.Patience);
        Assert.Equal(3, rig.Session.Counters.VisitorFailuresByReason().Sum(r => r.Count));
        Assert.Equal(0, rig.Session.Counters.OpenStreams.Value);
        var line = logger.All;
        Assert.Contains(serverText, line);
        Assert.Contains(hint, line);
        Assert.Contains("frps-a", line);
        Assert.DoesNotContain(secret, line);
    }

    [Fact]
    public async Task Listener_FrpsAwayThenBack_StaysBoundAndConnectionWaitsForSession()
    {
        await using var frps = new StandInFrps("tok-1");
        frps.Proxies["redis.abc"] = ("sk-1", "stcp");
        frps.Start();
        await using var rig = await VisitorRig.StartAsync(frps, new FrpVisitorTarget("redis.abc", "sk-1"));
        frps.Stop();

        using var client = await TestNet.ConnectAsync(rig.Tunnel.LocalEndPoint); // still accepted while frps is down
        var echo = TestNet.RoundTripAsync(client, "after restart");
        await Task.Delay(300);
        frps.Start();
        Assert.Equal("after restart", await echo.WaitAsync(TestNet.Patience));
        Assert.True(rig.Session.Logins >= 2);
    }

    internal sealed class VisitorRig : IAsyncDisposable
    {
        public required FrpSession Session { get; init; }
        public required Forwarder Visitor { get; init; }
        public required Tunnel Tunnel { get; init; }

        public static async Task<VisitorRig> StartAsync(StandInFrps frps, FrpVisitorTarget target, Microsoft.Extensions.Logging.ILogger? logger = null,
            ProxyType type = ProxyType.Stcp)
        {
            var server = NativeRig.Server(frps, "tok-1");
            var session = new FrpSession(server, NativeRig.Plain, TimeProvider.System, NullLogger.Instance);
            session.Start();
            var port = type == ProxyType.Sudp ? FreePort.Udp() : FreePort.Tcp();
            var tunnel = new Tunnel(new Endpoint(target.ProxyName, port, target.ProxyName, type, server, null, target.SecretKey),
                System.Net.IPAddress.Loopback);
            Forwarder visitor = type == ProxyType.Sudp
                ? new SudpVisitor(tunnel, target, session, NativeRig.Visitor, new ForwarderOptions(), new TunnelCounters(), TimeProvider.System, logger ?? NullLogger.Instance)
                : new StcpVisitor(tunnel, target, session, NativeRig.Visitor, new ForwarderOptions(), new TunnelCounters(), TimeProvider.System, logger ?? NullLogger.Instance);
            visitor.Start();
            await Eventually.TrueAsync(() => visitor.State == TunnelState.Listening, "the visitor listens", TestNet.Patience);
            await session.WaitReadyAsync(TestNet.Patience, CancellationToken.None);
            return new VisitorRig { Session = session, Visitor = visitor, Tunnel = tunnel };
        }

        public async ValueTask DisposeAsync()
        {
            await Visitor.DisposeAsync();
            await Session.DisposeAsync();
        }
    }
}
