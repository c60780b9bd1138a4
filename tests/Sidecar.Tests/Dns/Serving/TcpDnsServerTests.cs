using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Observability;
using Sidecar.Tests.Support;

namespace Sidecar.Tests.Dns.Serving;

/// <summary>The TCP server's connection bound under a hostile neighbour, over real loopback sockets.</summary>
public sealed class TcpDnsServerTests
{
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
        await using var harness = await DnsServerHarness.StartAsync();
        var idle = new List<Socket>();
        try
        {
            // A neighbour holds every slot with half a length prefix each (RFC 7766 §6.2.3: idle).
            for (var i = 0; i < TcpDnsServer.MaxConnections; i++)
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
            // The connection idle the longest (the first) made room.
            Assert.Null(await DnsServerHarness.ReadFramedAsync(idle[0]));
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
        var options = new DnsServerOptions(new IPEndPoint(FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []);
        var server = new DnsServer(options, time, logs, metrics.Dns);
        await server.StartAsync(CancellationToken.None);
        await using var harness = DnsServerHarness.Wrap(server);
        var held = new List<Socket>();
        const int Extra = 50;
        try
        {
            for (var i = 0; i < TcpDnsServer.MaxConnections + Extra; i++)
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
}
