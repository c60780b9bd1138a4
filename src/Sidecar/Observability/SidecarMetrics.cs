using Sidecar.Admin.Http;
using Sidecar.ControlLoop;
using Sidecar.Discovery;
using Sidecar.Dns.Serving;
using Sidecar.Tunnels;

namespace Sidecar.Observability;

/// <summary>
/// Every counter set the sidecar exports, gathered for <see cref="PrometheusTextWriter"/>. Each area defines
/// and increments its own set in its own folder (no registry lookups on hot paths); this class only holds
/// them so one scrape can render them all.
/// </summary>
internal sealed class SidecarMetrics
{
    public DnsCounters Dns { get; } = new();
    public HttpConnectionCounters AdminConnections { get; } = new();
    public DiscoveryCounters Discovery { get; } = new();
    public LoopCounters Loop { get; } = new();
    public TunnelCounters Tunnels { get; } = new();
}
