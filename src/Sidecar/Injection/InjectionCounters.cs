using System.Globalization;
using System.Text;
using Sidecar.Admin.Http;
using Sidecar.Observability;

namespace Sidecar.Injection;

/// <summary>What the webhook did, by verdict, rendered at <c>GET /metrics</c> in the Prometheus text format 0.0.4.</summary>
internal sealed class InjectionCounters
{
    private readonly Counter[] _byVerdict = Enum.GetValues<AdmissionVerdict>().Select(_ => new Counter()).ToArray();

    public void Count(AdmissionVerdict verdict) => _byVerdict[(int)verdict].Increment();

    public long Of(AdmissionVerdict verdict) => _byVerdict[(int)verdict].Value;

    public string Render(HttpConnectionCounters connections, int certificateReloads)
    {
        var text = new StringBuilder(1024);
        text.Append("# HELP sidecar_inject_admissions_total AdmissionReviews answered, by verdict (allowed_on_error: --on-error allow admitted a Pod with a bad annotation).\n");
        text.Append("# TYPE sidecar_inject_admissions_total counter\n");
        foreach (var verdict in Enum.GetValues<AdmissionVerdict>())
        {
            text.Append("sidecar_inject_admissions_total{verdict=\"").Append(Label(verdict)).Append("\"} ")
                .Append(Of(verdict).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append("# HELP sidecar_inject_certificate_reloads_total Serving certificate reloads after a change on disk.\n");
        text.Append("# TYPE sidecar_inject_certificate_reloads_total counter\n");
        text.Append("sidecar_inject_certificate_reloads_total ").Append(certificateReloads.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# HELP sidecar_inject_connections Webhook connections open.\n");
        text.Append("# TYPE sidecar_inject_connections gauge\n");
        text.Append("sidecar_inject_connections ").Append(connections.Open.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private static string Label(AdmissionVerdict verdict) => verdict switch
    {
        AdmissionVerdict.AllowedOnError => "allowed_on_error",
        _ => verdict.ToString().ToLowerInvariant(),
    };
}
