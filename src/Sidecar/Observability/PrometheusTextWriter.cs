using System.Globalization;
using System.Text;
using Sidecar.Tunnels.Native.Metrics;

namespace Sidecar.Observability;

/// <summary>Renders <see cref="SidecarMetrics"/> in the Prometheus text exposition format 0.0.4.</summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(SidecarMetrics m)
    {
        var text = new StringBuilder(4096);

        Header(text, "sidecar_dns_queries_total", "counter", "DNS queries answered or dropped, by question type and response code.");
        foreach (var (type, rcode, count) in m.Dns.Queries.NonZero())
        {
            Sample(text, "sidecar_dns_queries_total", count, ("type", type), ("rcode", rcode));
        }
        Single(text, "sidecar_dns_forwarded_total", "counter", "Queries relayed to an upstream server.", m.Dns.Forwarded.Value);
        Single(text, "sidecar_dns_upstream_failures_total", "counter", "Forwarded queries no upstream answered (SERVFAIL sent).", m.Dns.UpstreamFailures.Value);
        Single(text, "sidecar_dns_udp_batched_loops", "gauge", "UDP receive loops batching with recvmmsg/sendmmsg (0: one system call per datagram).", m.Dns.Udp.BatchedLoops.Value);
        Single(text, "sidecar_dns_tcp_connections", "gauge", "DNS TCP connections open.", m.Dns.Tcp.Open.Value);
        Header(text, "sidecar_dns_tcp_connections_closed_total", "counter", "DNS TCP connections closed by the server, by reason.");
        Sample(text, "sidecar_dns_tcp_connections_closed_total", m.Dns.Tcp.Evicted.Value, ("reason", "evicted"));
        Sample(text, "sidecar_dns_tcp_connections_closed_total", m.Dns.Tcp.Refused.Value, ("reason", "refused"));
        Sample(text, "sidecar_dns_tcp_connections_closed_total", m.Dns.Tcp.TimedOut.Value, ("reason", "idle_timeout"));
        Single(text, "sidecar_mapped_services", "gauge", "Service names currently published in DNS.", m.Loop.MappedServices.Value);

        Header(text, "sidecar_tunnels", "gauge", "Tunnels by state.");
        foreach (var (state, count) in m.Tunnels.TunnelsByState())
        {
            Sample(text, "sidecar_tunnels", count, ("state", state));
        }

        Header(text, "sidecar_frpc_restarts_total", "counter", "frpc processes restarted after exiting, by FRPServer.");
        foreach (var (server, counter) in m.Tunnels.FrpcRestarts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, "sidecar_frpc_restarts_total", counter.Value, ("server", server));
        }

        Header(text, "sidecar_frpc_start_failures_total", "counter", "frpc start attempts that failed before a process ran, by FRPServer and reason (not_found, state_dir, exec_failed).");
        foreach (var (server, reason, count) in m.Tunnels.FrpcStartFailuresByLabel())
        {
            Sample(text, "sidecar_frpc_start_failures_total", count, ("server", server), ("reason", reason));
        }

        NativeSessions(text, m.Tunnels.Native);

        Single(text, "sidecar_forwarder_connections_total", "counter", "Connections accepted by the tcp forwarder.", m.Tunnels.ForwardedConnections.Value);
        Single(text, "sidecar_forwarder_active_connections", "gauge", "Connections open through the tcp forwarder.", m.Tunnels.ActiveConnections.Value);
        Header(text, "sidecar_forwarder_bytes_total", "counter", "Bytes relayed by the forwarder, by direction.");
        Sample(text, "sidecar_forwarder_bytes_total", m.Tunnels.BytesUpstream.Value, ("direction", "upstream"));
        Sample(text, "sidecar_forwarder_bytes_total", m.Tunnels.BytesDownstream.Value, ("direction", "downstream"));

        Single(text, "sidecar_admin_connections", "gauge", "Admin endpoint connections open.", m.AdminConnections.Open.Value);
        Header(text, "sidecar_admin_connections_closed_total", "counter", "Admin endpoint connections closed before an answer, by reason.");
        Sample(text, "sidecar_admin_connections_closed_total", m.AdminConnections.Evicted.Value, ("reason", "evicted"));
        Sample(text, "sidecar_admin_connections_closed_total", m.AdminConnections.Refused.Value, ("reason", "refused"));
        Sample(text, "sidecar_admin_connections_closed_total", m.AdminConnections.TimedOut.Value, ("reason", "timeout"));

        HistogramSamples(text, "sidecar_reconcile_duration_seconds", "Time to apply one reconcile.", m.Loop.ReconcileDuration);
        Single(text, "sidecar_sync_errors_total", "counter", "Failed list, watch or file reads.", m.Discovery.SyncErrors.Value);
        Single(text, "sidecar_last_successful_sync_timestamp_seconds", "gauge", "Unix time of the last successful sync.", m.Discovery.LastSuccessfulSyncUnixSeconds.Value);
        return text.ToString();
    }

    private static void NativeSessions(StringBuilder text, NativeCounters native)
    {
        var servers = native.Servers();
        Header(text, "sidecar_native_session_up", "gauge", "Native visitor sessions logged in to the frp server now (0: connecting or backing off), by FRPServer.");
        foreach (var (server, c) in servers)
        {
            Sample(text, "sidecar_native_session_up", c.SessionsUp.Value, ("server", server));
        }
        Header(text, "sidecar_native_logins_total", "counter", "Native session login attempts by FRPServer and result (accepted, refused by frps, failed before an answer).");
        foreach (var (server, c) in servers)
        {
            foreach (var (result, count) in c.LoginsByResult())
            {
                Sample(text, "sidecar_native_logins_total", count, ("server", server), ("result", result));
            }
        }
        Header(text, "sidecar_native_session_reconnects_total", "counter", "Native session connection attempts after a session or attempt ended, by FRPServer.");
        foreach (var (server, c) in servers)
        {
            Sample(text, "sidecar_native_session_reconnects_total", c.Reconnects.Value, ("server", server));
        }
        Header(text, "sidecar_native_streams", "gauge", "Native visitor streams open (stcp connections, sudp streams), by FRPServer.");
        foreach (var (server, c) in servers)
        {
            Sample(text, "sidecar_native_streams", c.OpenStreams.Value, ("server", server));
        }
        Header(text, "sidecar_native_visitor_errors_total", "counter", "Native visitor connections that could not be opened, by FRPServer and reason.");
        foreach (var (server, c) in servers)
        {
            foreach (var (reason, count) in c.VisitorFailuresByReason())
            {
                Sample(text, "sidecar_native_visitor_errors_total", count, ("server", server), ("reason", reason));
            }
        }
    }

    private static void Single(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        Sample(text, name, value);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').AppendLine(help)
            .Append("# TYPE ").Append(name).Append(' ').AppendLine(type);

    private static void Sample(StringBuilder text, string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').AppendLine(value.ToString("R", CultureInfo.InvariantCulture));
    }

    private static void HistogramSamples(StringBuilder text, string name, string help, Histogram histogram)
    {
        Header(text, name, "histogram", help);
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            Sample(text, name + "_bucket", histogram.CumulativeCount(i),
                ("le", histogram.UpperBounds[i].ToString("R", CultureInfo.InvariantCulture)));
        }
        Sample(text, name + "_bucket", histogram.Count, ("le", "+Inf"));
        Sample(text, name + "_sum", histogram.Sum);
        Sample(text, name + "_count", histogram.Count);
    }

    /// <summary>Label values escape backslash, quote and newline (exposition format).</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
