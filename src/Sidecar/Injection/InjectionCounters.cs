using System.Globalization;
using System.Text;
using Sidecar.Admin.Http;
using Sidecar.Observability;

namespace Sidecar.Injection;

/// <summary>What the webhook did, by verdict, rendered at <c>GET /metrics</c> in the Prometheus text format 0.0.4.</summary>
internal sealed class InjectionCounters
{
    private readonly Counter[] _byVerdict = Enum.GetValues<AdmissionVerdict>().Select(_ => new Counter()).ToArray();

    /// <summary>TLS handshakes that failed (not TLS, no common version or cipher, closed midway): a hostile or
    /// misconfigured client, or an API server whose caBundle does not match (it then aborts the handshake).</summary>
    public Counter TlsHandshakeFailures { get; } = new();

    /// <summary>Requests answered on a connection that had already answered one (HTTP keep-alive at work).</summary>
    public Counter ReusedConnectionRequests { get; } = new();

    public void Count(AdmissionVerdict verdict) => _byVerdict[(int)verdict].Increment();

    public long Of(AdmissionVerdict verdict) => _byVerdict[(int)verdict].Value;

    public string Render(HttpConnectionCounters connections, int certificateReloads, DateTimeOffset certificateNotAfter)
    {
        var text = new StringBuilder(2048);
        Header(text, "sidecar_inject_admissions_total", "counter",
            "AdmissionReviews answered, by verdict (allowed_on_error: --on-error allow admitted a Pod with a bad annotation).");
        foreach (var verdict in Enum.GetValues<AdmissionVerdict>())
        {
            Sample(text, "sidecar_inject_admissions_total{verdict=\"" + Label(verdict) + "\"}", Of(verdict));
        }
        Single(text, "sidecar_inject_certificate_reloads_total", "counter", "Serving certificate reloads after a change on disk.", certificateReloads);
        Single(text, "sidecar_inject_certificate_expiry_timestamp_seconds", "gauge",
            "When the serving certificate in use expires (Unix time): alert well before it.", certificateNotAfter.ToUnixTimeSeconds());
        Single(text, "sidecar_inject_tls_handshake_failures_total", "counter",
            "TLS handshakes that failed: hostile or misconfigured clients, or a caBundle that does not match.", TlsHandshakeFailures.Value);
        Single(text, "sidecar_inject_connections", "gauge", "Webhook connections open.", connections.Open.Value);
        Single(text, "sidecar_inject_reused_connection_requests_total", "counter",
            "Requests served on an already used connection (keep-alive).", ReusedConnectionRequests.Value);
        Header(text, "sidecar_inject_connections_closed_total", "counter", "Webhook connections closed by the server under pressure or on a deadline, by reason.");
        Sample(text, "sidecar_inject_connections_closed_total{reason=\"evicted\"}", connections.Evicted.Value);
        Sample(text, "sidecar_inject_connections_closed_total{reason=\"refused\"}", connections.Refused.Value);
        Sample(text, "sidecar_inject_connections_closed_total{reason=\"timed_out\"}", connections.TimedOut.Value);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string series, long value) =>
        text.Append(series).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Single(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        Sample(text, name, value);
    }

    private static string Label(AdmissionVerdict verdict) => verdict switch
    {
        AdmissionVerdict.AllowedOnError => "allowed_on_error",
        _ => verdict.ToString().ToLowerInvariant(),
    };
}
