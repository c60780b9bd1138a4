using System.Net;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>--dns-miss=forward end to end: our server over loopback, with stand-in upstreams that speak real DNS.</summary>
public sealed class UpstreamForwarderTests
{
    /// <summary>A working upstream gets seconds (a loaded machine is slow); a silent one is given up on sooner.</summary>
    private static DnsServerOptions Forwarding(params IPEndPoint[] upstreams) => Forwarding(TimeSpan.FromSeconds(3), upstreams);

    private static DnsServerOptions Forwarding(TimeSpan upstreamTimeout, params IPEndPoint[] upstreams) =>
        new(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.Forward, upstreams, [])
        {
            UpstreamTimeout = upstreamTimeout,
        };

    [Fact]
    public async Task Forward_Miss_RelayedWithClientIdAndQuestionCase()
    {
        await using var upstream = new StandInUpstream();
        await using var harness = await DnsServerHarness.StartAsync(Forwarding(upstream.EndPoint));

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("ExAmPlE.test", id: 0xBEEF));

        Assert.Equal((0xBEEF, "ExAmPlE.test.", DnsResponseCode.NoError), ((int)message.Header.Id, message.QuestionName, message.ResponseCode));
        Assert.Equal(new byte[] { 192, 0, 2, 99 }, Assert.Single(message.Answers).Data);
    }

    [Fact]
    public async Task Forward_MappedName_AnsweredLocallyNotForwarded()
    {
        await using var upstream = new StandInUpstream();
        await using var harness = await DnsServerHarness.StartAsync(Forwarding(upstream.EndPoint));

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"));

        Assert.Equal(new byte[] { 127, 77, 0, 10 }, Assert.Single(message.Answers).Data);
        Assert.Equal(0, upstream.UdpQueries);
    }

    [Fact]
    public async Task Forward_TruncatedUdpReply_RetriedOverTcp()
    {
        await using var upstream = new StandInUpstream(truncateUdp: true);
        await using var harness = await DnsServerHarness.StartAsync(Forwarding(upstream.EndPoint));

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("big.test"));

        Assert.False(message.Has(DnsHeaderFlags.Truncated));
        Assert.Single(message.Answers);
        Assert.Equal(1, upstream.TcpQueries);
    }

    [Fact]
    public async Task Forward_FirstUpstreamSilent_FailsOverToSecond()
    {
        await using var silent = new StandInUpstream(silent: true);
        await using var working = new StandInUpstream();
        await using var harness = await DnsServerHarness.StartAsync(Forwarding(TimeSpan.FromMilliseconds(500), silent.EndPoint, working.EndPoint));

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("failover.test"));

        Assert.Single(message.Answers);
        Assert.True(silent.UdpQueries >= 1);
    }

    [Fact]
    public async Task Forward_AllUpstreamsFail_ServFail()
    {
        await using var silent = new StandInUpstream(silent: true);
        await using var harness = await DnsServerHarness.StartAsync(Forwarding(TimeSpan.FromMilliseconds(500), silent.EndPoint));
        using var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);

        await socket.SendAsync(DnsServerHarness.Frame(DnsTestMessages.Query("dead.test", id: 9)), System.Net.Sockets.SocketFlags.None);
        var message = await DnsServerHarness.ReadFramedAsync(socket);

        Assert.Equal((9, DnsResponseCode.ServerFailure, "dead.test."), ((int)message!.Header.Id, message.ResponseCode, message.QuestionName));
    }
}
