using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;
using Sidecar.Hosting;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>The servers over real loopback sockets on ephemeral ports.</summary>
public sealed class DnsServerTests
{
    [Fact]
    public async Task Udp_MappedName_Answered()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"));

        Assert.Equal(new byte[] { 127, 77, 0, 10 }, Assert.Single(message.Answers).Data);
    }

    [Fact]
    public async Task Udp_PortableLoop_AnsweredAndForwarded()
    {
        await using var upstream = new StandInUpstream();
        var options = new DnsServerOptions(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.Forward, [upstream.EndPoint], [])
        {
            BatchedReceive = false,
        };
        await using var harness = await DnsServerHarness.StartAsync(options);

        Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"))).Answers);
        Assert.Equal(new byte[] { 192, 0, 2, 99 }, Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("elsewhere.test"))).Answers).Data);
    }

    [Fact]
    public async Task Udp_BurstOfQueries_AllAnsweredByBatchedLoop()
    {
        await using var harness = await DnsServerHarness.StartAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(harness.EndPoint);

        // 200 queries sent back to back land in the socket queue together, so recvmmsg takes several per call.
        for (ushort id = 0; id < 200; id++)
        {
            await client.SendAsync(DnsTestMessages.Query("name0.svc.test", id: id), SocketFlags.None);
        }
        var seen = new HashSet<int>();
        var buffer = new byte[1232];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (seen.Count < 200)
            {
                var length = await client.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
                var message = ParsedMessage.Read(buffer.AsSpan(0, length));
                Assert.Single(message.Answers);
                seen.Add(message.Header.Id);
            }
        }
        catch (OperationCanceledException)
        {
            // Loopback UDP can still drop under heavy load from other processes; most must arrive.
        }

        Assert.True(seen.Count >= 150, $"{seen.Count} of 200 answered");
    }

    [Fact]
    public async Task Publish_NewTable_ServedWithoutRestart()
    {
        await using var harness = await DnsServerHarness.StartAsync();

        harness.Server.Publish([new DnsMapping("later.svc.test", IPAddress.Parse("127.77.0.20"))]);

        Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("later.svc.test"))).Answers);
        Assert.Equal(DnsResponseCode.NameError, (await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"))).ResponseCode);
    }

    [Fact]
    public async Task Publish_EachCall_AnsweredWithNextSerial()
    {
        // Whether the set changed is the reconciler's to decide (it publishes only then): every publish is applied.
        await using var harness = await DnsServerHarness.StartAsync();
        // NODATA carries the SOA; its serial is the first field after the two names (RFC 1035 §3.3.13).
        async Task<uint> SerialAsync() => BinaryPrimitives.ReadUInt32BigEndian(
            Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test", DnsRecordType.Aaaa))).Authority).Data.AsSpan()[^20..]);
        var before = await SerialAsync();

        harness.Server.Publish([new DnsMapping("name0.svc.test", IPAddress.Parse("127.77.0.11"))]);

        Assert.Equal(before + 1, await SerialAsync());
        Assert.Equal(new byte[] { 127, 77, 0, 11 }, Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"))).Answers).Data);
    }

    [Fact]
    public async Task Tcp_PipelinedQueries_AllAnsweredInOrder()
    {
        await using var harness = await DnsServerHarness.StartAsync();
        using var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);

        // Three queries in one write (RFC 7766 §6.2.1.1).
        byte[] batch = [.. DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test", id: 1)),
            .. DnsServerHarness.Frame(DnsTestMessages.Query("miss.svc.test", id: 2)),
            .. DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test", DnsRecordType.Aaaa, id: 3))];
        await socket.SendAsync(batch, SocketFlags.None);

        var first = await DnsServerHarness.ReadFramedAsync(socket);
        var second = await DnsServerHarness.ReadFramedAsync(socket);
        var third = await DnsServerHarness.ReadFramedAsync(socket);
        Assert.Equal((1, 1), (first!.Header.Id, first.Answers.Count));
        Assert.Equal((2, DnsResponseCode.NameError), (second!.Header.Id, second.ResponseCode));
        Assert.Equal((3, 1), (third!.Header.Id, third.Authority.Count));
    }

    [Fact]
    public async Task Tcp_IdleConnection_ClosedAfterTimeout()
    {
        var time = new FakeTimeProvider();
        await using var harness = await DnsServerHarness.StartAsync(timeProvider: time);
        using var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
        await socket.SendAsync(DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test")), SocketFlags.None);
        Assert.NotNull(await DnsServerHarness.ReadFramedAsync(socket));

        // Advance the fake clock past the idle timeout until the server closes (it re-arms after each reply).
        var read = Task.Run(() => DnsServerHarness.ReadFramedAsync(socket));
        var deadline = DateTime.UtcNow + DnsServerHarness.Patience;
        while (!read.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TcpDnsServer.IdleTimeout + TimeSpan.FromSeconds(1));
            await Task.WhenAny(read, Task.Delay(50));
        }

        Assert.Null(await read);
    }

    [Fact]
    public async Task Tcp_StalledClient_UdpStillServed()
    {
        await using var harness = await DnsServerHarness.StartAsync();
        using var stalled = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
        await stalled.SendAsync(new byte[] { 0x00 }, SocketFlags.None);   // half a length prefix, then nothing

        var message = await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"));

        Assert.Single(message.Answers);
    }

    [Fact]
    public async Task StartAsync_AddressInUse_StartupExceptionSayingWhatToDo()
    {
        await using var first = await DnsServerHarness.StartAsync();
        var options = new DnsServerOptions(first.EndPoint, TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []);
        await using var second = new DnsServer(options, TimeProvider.System, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StartupException>(() => second.StartAsync(CancellationToken.None));

        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("--dns-addr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_IPv6Loopback_ServesUdpAndTcp()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }
        var options = new DnsServerOptions(new IPEndPoint(IPAddress.IPv6Loopback, 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []);
        await using var harness = await DnsServerHarness.StartAsync(options);
        using var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
        await socket.SendAsync(DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test")), SocketFlags.None);

        Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"))).Answers);
        Assert.Single((await DnsServerHarness.ReadFramedAsync(socket))!.Answers);
    }
}
