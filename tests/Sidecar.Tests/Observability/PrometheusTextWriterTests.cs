using Sidecar.Dns.Serving;
using Sidecar.Observability;
using Sidecar.Tests.Support;
using Sidecar.Tunnels;
using Sidecar.Tunnels.Native.Metrics;

namespace Sidecar.Tests.Observability;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Write_RecordedMetrics_ParseAsPrometheusTextWithValues()
    {
        var metrics = new SidecarMetrics();
        metrics.Dns.Queries.Record(1, 0);
        metrics.Dns.Queries.Record(1, 0);
        metrics.Dns.Queries.Record(28, 3);
        metrics.Dns.Queries.Record(999, DnsQueryCounters.Dropped);
        metrics.Tunnels.FrpcRestarted("frp-\"east\"");
        metrics.Tunnels.FrpcStartFailed("frp-west", FrpcStartFailure.NotFound);
        metrics.Tunnels.FrpcStartFailed("frp-west", FrpcStartFailure.NotFound);
        metrics.Tunnels.FrpcStartFailed("frp-west", FrpcStartFailure.StateDirectory);
        metrics.Loop.ReconcileDuration.Observe(TimeSpan.FromMilliseconds(3));
        metrics.Loop.ReconcileDuration.Observe(TimeSpan.FromSeconds(10));
        metrics.Tunnels.CountStatesWith(() => new Dictionary<TunnelState, int> { [TunnelState.Listening] = 2 });

        var samples = PrometheusText.Parse(PrometheusTextWriter.Write(metrics));

        Assert.Equal(2, samples["sidecar_dns_queries_total{type=\"A\",rcode=\"NOERROR\"}"]);
        Assert.Equal(1, samples["sidecar_dns_queries_total{type=\"AAAA\",rcode=\"NXDOMAIN\"}"]);
        Assert.Equal(1, samples["sidecar_dns_queries_total{type=\"other\",rcode=\"dropped\"}"]);
        Assert.Equal(1, samples["sidecar_frpc_restarts_total{server=\"frp-\\\"east\\\"\"}"]);
        Assert.Equal(2, samples["sidecar_frpc_start_failures_total{server=\"frp-west\",reason=\"not_found\"}"]);
        Assert.Equal(1, samples["sidecar_frpc_start_failures_total{server=\"frp-west\",reason=\"state_dir\"}"]);
        Assert.Equal(2, samples["sidecar_tunnels{state=\"listening\"}"]);
        Assert.Equal(0, samples["sidecar_tunnels{state=\"failed\"}"]);
        Assert.Equal(1, samples["sidecar_reconcile_duration_seconds_bucket{le=\"0.005\"}"]);
        Assert.Equal(1, samples["sidecar_reconcile_duration_seconds_bucket{le=\"2.5\"}"]);
        Assert.Equal(2, samples["sidecar_reconcile_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(2, samples["sidecar_reconcile_duration_seconds_count"]);
    }

    [Fact]
    public void Write_NativeSessionCounters_OneSeriesPerServerWithEveryReason()
    {
        var metrics = new SidecarMetrics();
        var east = metrics.Tunnels.Native.Acquire("frps-east");
        east.SessionsUp.Increment();
        east.LoginsAccepted.Increment();
        east.LoginsRefused.Increment();
        east.Reconnects.Increment();
        east.OpenStreams.Increment();
        east.VisitorFailed(VisitorFailure.WrongSecret);
        east.VisitorFailed(VisitorFailure.WrongSecret);
        metrics.Tunnels.Native.Acquire("frps-west");

        var samples = PrometheusText.Parse(PrometheusTextWriter.Write(metrics));

        Assert.Equal(1, samples["sidecar_native_session_up{server=\"frps-east\"}"]);
        Assert.Equal(0, samples["sidecar_native_session_up{server=\"frps-west\"}"]);
        Assert.Equal(1, samples["sidecar_native_logins_total{server=\"frps-east\",result=\"accepted\"}"]);
        Assert.Equal(1, samples["sidecar_native_logins_total{server=\"frps-east\",result=\"refused\"}"]);
        Assert.Equal(0, samples["sidecar_native_logins_total{server=\"frps-east\",result=\"failed\"}"]);
        Assert.Equal(1, samples["sidecar_native_session_reconnects_total{server=\"frps-east\"}"]);
        Assert.Equal(1, samples["sidecar_native_streams{server=\"frps-east\"}"]);
        Assert.Equal(2, samples["sidecar_native_visitor_errors_total{server=\"frps-east\",reason=\"wrong_secret\"}"]);
        Assert.Equal(0, samples["sidecar_native_visitor_errors_total{server=\"frps-west\",reason=\"no_session\"}"]);

        metrics.Tunnels.Native.Release("frps-west");
        Assert.DoesNotContain("frps-west", PrometheusTextWriter.Write(metrics));
    }
}
