using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Observability;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>The TCP server's connection bound under a hostile neighbour, over real loopback sockets.</summary>
public sealed class TcpDnsServerTests
{
    /// <summary>A small cap, so a test reaches it with a few sockets.</summary>
    private const int Cap = 16;

    private static DnsServerOptions Options(int cap = Cap) =>
        new(new IPEndPoint(FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []) { TcpMaxConnections = cap };

    [Theory]
    [InlineData(0.0, 10.0)]
    [InlineData(0.5, 10.0)]
    [InlineData(0.75, 5.5)]
    [InlineData(1.0, 1.0)]
    public void IdleTimeoutAt_Occupancy_ShrinksAbovePressureThreshold(double occupancy, double seconds)
    {
        Assert.Equal(seconds, TcpDnsServer.IdleTimeoutAt(occupancy).TotalSeconds, precision: 6);
    }

    [Fact]
    public async Task Accept_AtConnectionLimit_IdlestEvictedAndNewConnectionAnswered()
    {
        await using var harness = await DnsServerHarness.StartAsync(Options());
        var idle = new List<Socket>();
        try
        {
            // A neighbour holds every slot with half a length prefix each (RFC 7766 §6.2.3: idle).
            for (var i = 0; i < Cap; i++)
            {
                var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
                await socket.SendAsync(new byte[] { 0x00 }, SocketFlags.None);
                idle.Add(socket);
            }
            using var client = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
            await client.SendAsync(DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test")), SocketFlags.None);

            var answer = await DnsServerHarness.ReadFramedAsync(client);

            Assert.NotNull(answer);
            Assert.Single(answer.Answers);
            // The connection idle the longest (the first) made room: closed, or reset when the server had not
            // read its byte yet (a loaded machine may evict before the connection is first served).
            Assert.True(await ClosedByServerAsync(idle[0]));
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Accept_ManyEvictions_OneSummaryLinePerIntervalWithCounts()
    {
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerFactory();
        var metrics = new SidecarMetrics();
        var server = new DnsServer(Options(), time, logs, metrics.Dns);
        await server.StartAsync(CancellationToken.None);
        await using var harness = DnsServerHarness.Wrap(server);
        var held = new List<Socket>();
        const int Extra = 50;
        try
        {
            for (var i = 0; i < Cap + Extra; i++)
            {
                held.Add(await DnsServerHarness.ConnectTcpAsync(harness.EndPoint));
            }
            await Eventually.TrueAsync(() => metrics.Dns.Tcp.Evicted.Value == Extra, $"{Extra} evictions");
            int PressureLines() => logs.Lines.Count(l => l.Contains($" {DnsEventIds.TcpPressure} ", StringComparison.Ordinal));

            // The first eviction reports at once; the other 49 wait for the interval to end.
            Assert.Equal(1, PressureLines());
            time.Advance(TcpDnsServer.PressureReportInterval);

            await Eventually.TrueAsync(() => PressureLines() == 2, "a second summary line at the end of the interval");
            Assert.Contains(logs.Lines, l => l.Contains($"{Extra - 1} idle connections evicted", StringComparison.Ordinal));
            Assert.Equal(0, metrics.Dns.Tcp.Refused.Value);
            Assert.Contains("sidecar_dns_tcp_connections_closed_total{reason=\"evicted\"} 50", PrometheusTextWriter.Write(metrics), StringComparison.Ordinal);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Accept_ThousandIdleConnections_AllHeldAndNewQueryAnswered()
    {
        // The hostile-neighbour bench holds 1,000 one-byte connections. With 100 slots and a backlog of 512 they
        // were evicted and reopened without end, the listen queue stayed full and a resolver's SYN was dropped
        // (retried after 1 s). Held cheaply instead, nothing churns and the queue stays empty.
        var metrics = new SidecarMetrics();
        var options = new DnsServerOptions(new IPEndPoint(FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []);
        var server = new DnsServer(options, TimeProvider.System, NullLoggerFactory.Instance, metrics.Dns);
        await server.StartAsync(CancellationToken.None);
        await using var harness = DnsServerHarness.Wrap(server);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                var socket = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
                await socket.SendAsync(new byte[] { 0x00 }, SocketFlags.None);
                held.Add(socket);
            }
            await Eventually.TrueAsync(() => metrics.Dns.Tcp.Open.Value == 1000, "all 1,000 accepted");
            using var client = await DnsServerHarness.ConnectTcpAsync(harness.EndPoint);
            await client.SendAsync(DnsServerHarness.Frame(DnsTestMessages.Query("name0.svc.test")), SocketFlags.None);

            var answer = await DnsServerHarness.ReadFramedAsync(client);

            Assert.NotNull(answer);
            Assert.Single(answer.Answers);
            Assert.Equal(0, metrics.Dns.Tcp.Evicted.Value);
            Assert.Equal(0, metrics.Dns.Tcp.Refused.Value);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        try
        {
            return await DnsServerHarness.ReadFramedAsync(socket) is null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
