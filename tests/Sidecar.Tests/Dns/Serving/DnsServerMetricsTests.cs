using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Dns;
using Sidecar.Dns.Serving;
using Sidecar.Dns.Wire;
using Sidecar.Observability;

namespace Sidecar.Tests.Dns.Serving;

public sealed class DnsServerMetricsTests
{
    [Fact]
    public void Respond_WithCounters_CountsByTypeAndCode()
    {
        var counters = new DnsQueryCounters();
        var responder = new DnsResponder(DnsMissPolicy.NxDomain, counters);
        responder.Table = NameTable.Build([new DnsMapping("a.test", IPAddress.Parse("127.1.0.1"))], [], TimeSpan.FromSeconds(5), 1);
        var response = new byte[512];

        responder.Respond(DnsTestMessages.Query("a.test"), response, false);
        responder.Respond(DnsTestMessages.Query("a.test", DnsRecordType.Aaaa), response, false);
        responder.Respond(DnsTestMessages.Query("b.test"), response, false);
        responder.Respond(DnsTestMessages.Query("a.test", flags: 0x8000), response, false);
        responder.Respond(DnsTestMessages.Hex("1234 0100 0000 0000 0000 0000"), response, false);

        Assert.Equal(1, counters.Get(1, 0));
        Assert.Equal(1, counters.Get(28, 0));
        Assert.Equal(1, counters.Get(1, 3));
        Assert.Equal(1, counters.Get(0, DnsQueryCounters.Dropped));
        Assert.Equal(1, counters.Get(0, 1));
    }

    [Fact]
    public async Task Start_BatchedReceiveOnLinux_EveryLoopReportsBatching()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var metrics = new SidecarMetrics();
        var options = new DnsServerOptions(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.NxDomain, [], []) { UdpLoops = 2 };
        var server = new DnsServer(options, TimeProvider.System, NullLoggerFactory.Instance, metrics.Dns);
        await server.StartAsync(CancellationToken.None);
        await using var harness = DnsServerHarness.Wrap(server);

        Assert.Single((await harness.AskUdpAsync(DnsTestMessages.Query("name0.svc.test"))).Answers);
        await Sidecar.Tests.Support.Eventually.TrueAsync(() => metrics.Dns.Udp.BatchedLoops.Value == 2, "both loops batching");
        Assert.Contains("sidecar_dns_udp_batched_loops 2", PrometheusTextWriter.Write(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_PublishAndForward_MetricsAndHealth()
    {
        await using var upstream = new StandInUpstream();
        var metrics = new SidecarMetrics();
        var health = new Sidecar.Hosting.HealthState();
        var options = new DnsServerOptions(new IPEndPoint(Sidecar.Tests.Support.FreePort.UniqueLoopback(), 0), TimeSpan.FromSeconds(5), DnsMissPolicy.Forward, [upstream.EndPoint], []);
        var server = new DnsServer(options, TimeProvider.System, NullLoggerFactory.Instance, metrics.Dns, health);
        Assert.False(health.IsDnsBound);
        await server.StartAsync(CancellationToken.None);
        Assert.True(health.IsDnsBound);
        await using (var harness = DnsServerHarness.Wrap(server))
        {
            Assert.True(server.IsServing);
            await harness.AskUdpAsync(DnsTestMessages.Query("elsewhere.test", DnsRecordType.Txt));

            Assert.True(metrics.Dns.Forwarded.Value >= 1);
            Assert.True(metrics.Dns.Queries.Get((ushort)DnsRecordType.Txt, 0) >= 1);
        }
        Assert.False(server.IsServing);
    }
}
