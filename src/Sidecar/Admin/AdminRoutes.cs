using System.Text;
using System.Text.Json;
using Sidecar.Admin.Http;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.Admin;

/// <summary>
/// What each admin path answers. /healthz, /readyz and /metrics go to whoever reaches the address (the
/// kubelet, Prometheus); /debug/mappings (service names, addresses, frps endpoints) only to clients on
/// loopback — inside the Pod or through `kubectl port-forward`, which connects from the Pod's own
/// loopback — never to the Pod network. The kernel drops packets for 127/8 arriving on other interfaces,
/// so a remote client cannot pose as one.
/// </summary>
internal sealed class AdminRoutes(HealthState health, SidecarMetrics metrics, IMappingSource mappings)
{
    public HttpResponse Handle(HttpRequestHead request, bool fromLoopback)
    {
        switch (request.Path)
        {
            case "/healthz":
                var stopped = health.Stopped; // the DNS loops, the resource source or the reconcile loop
                return HttpResponse.Text(stopped is null ? 200 : 503, stopped is null ? "ok\n" : $"{stopped}\n");
            case "/readyz":
                return HttpResponse.Text(health.IsReady ? 200 : 503, ReadinessText());
            case "/metrics":
                return new HttpResponse(200, PrometheusTextWriter.ContentType, Encoding.UTF8.GetBytes(PrometheusTextWriter.Write(metrics)));
            case "/debug/mappings" when fromLoopback:
                return new HttpResponse(200, "application/json; charset=utf-8",
                    JsonSerializer.SerializeToUtf8Bytes(mappings.GetMappings(), AdminJsonContext.Default.IReadOnlyListMappingView));
            case "/debug/mappings":
                return HttpResponse.Text(403, "/debug/mappings is served to loopback clients only (kubectl port-forward reaches it)\n");
            default:
                return HttpResponse.Text(404, "not found; try /healthz /readyz /metrics /debug/mappings\n");
        }
    }

    private string ReadinessText() => health.IsReady
        ? "ready\n"
        : $"not ready: dns bound={health.IsDnsBound}, first sync done={health.HasSynced}\n";
}
